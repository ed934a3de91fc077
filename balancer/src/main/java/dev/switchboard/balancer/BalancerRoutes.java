package dev.switchboard.balancer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.Claims;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.balancer.internal.NodeCodec;
import dev.switchboard.http.Authenticator;
import dev.switchboard.http.Credentials;
import dev.switchboard.http.HttpError;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.Response;
import dev.switchboard.http.Router;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The balancer's routes: {@code GET /v1/connect} (JWT), {@code GET /v1/nodes}
 * (a platform API key: the fleet is no one organisation's), {@code GET /healthz}
 * and {@code GET /metrics} (Prometheus text, when the registry is a Prometheus
 * one), and the fleet status page ({@link FleetRoutes}). Every answer is computed from the registry's last snapshot in memory;
 * nothing here waits on Redis, so it runs on the event loop.
 */
final class BalancerRoutes {
    static final String REGISTRY_UNAVAILABLE = "REGISTRY_UNAVAILABLE";
    static final String NO_NODE = "NO_NODE";

    private final BalancerOptions options;
    private final NodeRegistry registry;
    private final Placement placement;
    private final PendingPlacements pending;
    private final NodeCodec codec = new NodeCodec();
    private final ObjectMapper json = new ObjectMapper();
    private final BalancerMetrics metrics;
    private final MeterRegistry meters;

    BalancerRoutes(BalancerOptions options, NodeRegistry registry, MeterRegistry meters) {
        this.options = options;
        this.meters = meters;
        this.metrics = new BalancerMetrics(meters, registry);
        this.registry = registry;
        this.placement = new Placement(options.loadFactor(), options.minShare());
        this.pending = new PendingPlacements(options.pendingTimeout(), System::nanoTime);
    }

    Router router(TokenVerifier verifier, ApiKeys apiKeys) {
        Authenticator user = head -> {
            try {
                return Credentials.bearer(verifier).authenticate(head);
            } catch (HttpError e) {
                metrics.unauthorized();
                throw e;
            }
        };
        Authenticator key = Credentials.apiKey(apiKeys);
        Authenticator platform = head -> {
            ApiKeys.Key k = (ApiKeys.Key) key.authenticate(head);
            if (!k.isPlatform()) {
                throw HttpError.forbidden("the fleet's nodes are shown to platform keys only");
            }
            return k;
        };
        return Router.builder()
                .get("/v1/connect", user, this::connect)
                .get("/v1/nodes", platform, this::nodes)
                .get("/healthz", Authenticator.NONE, this::health)
                .get("/metrics", Authenticator.NONE, this::metrics)
                .include(new FleetRoutes(registry).router(platform))
                .build();
    }

    private void connect(HttpExchange ex) {
        Claims claims = ex.principal(Claims.class);
        NodeRegistry.Snapshot view = registry.snapshot();
        if (view.age().compareTo(options.maxViewAge()) > 0) {
            metrics.registryUnavailable();
            throw HttpError.of(HttpResponseStatus.SERVICE_UNAVAILABLE, REGISTRY_UNAVAILABLE,
                    "the registry of edge nodes cannot be read; retry shortly").retryAfter(1);
        }
        pending.sync(view.nodes());
        Optional<Placement.Choice> choice = placement.choose(claims.orgId(), view.nodes(), pending::get,
                options.maxFallbacks());
        if (choice.isEmpty()) {
            metrics.noNode();
            throw HttpError.of(HttpResponseStatus.SERVICE_UNAVAILABLE, NO_NODE,
                    "no edge node can take a connection now (none registered, all draining or full); retry shortly")
                    .retryAfter(1);
        }
        Placement.Choice c = choice.get();
        pending.record(c.node());
        metrics.placed();
        ObjectNode body = json.createObjectNode().put("node_id", c.node().nodeId()).put("url", c.node().url());
        ArrayNode fallbacks = body.putArray("fallbacks");
        c.fallbacks().forEach(n -> fallbacks.addObject().put("node_id", n.nodeId()).put("url", n.url()));
        ex.respond(Response.ok(body));
    }

    private void nodes(HttpExchange ex) {
        NodeRegistry.Snapshot view = registry.snapshot();
        ObjectNode body = json.createObjectNode();
        body.put("view_age_ms", view.loaded() ? view.age().toMillis() : -1);
        ArrayNode nodes = body.putArray("nodes");
        view.nodes().forEach(n -> nodes.add(codec.toJson(n).put("pending", pending.get(n.nodeId()))));
        ex.respond(Response.ok(body));
    }

    private void health(HttpExchange ex) {
        NodeRegistry.Snapshot view = registry.snapshot();
        boolean fresh = view.age().compareTo(options.maxViewAge()) <= 0;
        ObjectNode body = json.createObjectNode().put("status", fresh ? "ok" : "registry_unavailable")
                .put("nodes", view.nodes().size());
        Response r = Response.json(fresh ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
        ex.respond(fresh ? r : r.header("Retry-After", 1));
    }

    private void metrics(HttpExchange ex) {
        if (!(meters instanceof PrometheusMeterRegistry prometheus)) {
            throw HttpError.notFound("no Prometheus registry configured");
        }
        ex.respond(Response.of(HttpResponseStatus.OK, prometheus.scrape().getBytes(StandardCharsets.UTF_8),
                "text/plain; version=0.0.4; charset=utf-8"));
    }
}
