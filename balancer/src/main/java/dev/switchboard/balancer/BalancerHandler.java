package dev.switchboard.balancer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.Claims;
import dev.switchboard.auth.TokenException;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.balancer.internal.NodeCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Optional;

/**
 * The balancer's HTTP routes: {@code GET /v1/connect} (JWT), {@code GET /v1/nodes}
 * (API key), {@code GET /healthz} and {@code GET /metrics} (Prometheus text, when
 * the registry is a Prometheus one). Every answer is computed from the registry's
 * last snapshot in memory; nothing here waits on Redis, so it runs on the event loop.
 * Errors are {@code {"error":{"code","message"}}}.
 */
@ChannelHandler.Sharable
final class BalancerHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final BalancerOptions options;
    private final TokenVerifier verifier;
    private final ApiKeys apiKeys;
    private final NodeRegistry registry;
    private final Placement placement;
    private final PendingPlacements pending = new PendingPlacements();
    private final NodeCodec codec = new NodeCodec();
    private final ObjectMapper json = new ObjectMapper();
    private final BalancerMetrics metrics;
    private final MeterRegistry meters;

    BalancerHandler(BalancerOptions options, TokenVerifier verifier, ApiKeys apiKeys, NodeRegistry registry, MeterRegistry meters) {
        this.options = options;
        this.meters = meters;
        this.metrics = new BalancerMetrics(meters, registry);
        this.verifier = verifier;
        this.apiKeys = apiKeys;
        this.registry = registry;
        this.placement = new Placement(options.loadFactor(), options.minShare());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).path();
        if (!path.equals("/v1/connect") && !path.equals("/v1/nodes") && !path.equals("/healthz") && !path.equals("/metrics")) {
            error(ctx, req, HttpResponseStatus.NOT_FOUND, "not_found", "no such endpoint: " + path);
        } else if (!HttpMethod.GET.equals(req.method())) {
            error(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "use GET");
        } else {
            switch (path) {
                case "/v1/connect" -> connect(ctx, req);
                case "/v1/nodes" -> nodes(ctx, req);
                case "/metrics" -> metrics(ctx, req);
                default -> health(ctx, req);
            }
        }
    }

    private void connect(ChannelHandlerContext ctx, FullHttpRequest req) {
        Claims claims;
        try {
            claims = verifier.verify(bearer(req));
        } catch (TokenException e) {
            metrics.unauthorized();
            error(ctx, req, HttpResponseStatus.UNAUTHORIZED, "unauthorized", e.getMessage());
            return;
        }
        NodeRegistry.Snapshot view = registry.snapshot();
        if (view.age().compareTo(options.maxViewAge()) > 0) {
            metrics.registryUnavailable();
            error(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "registry_unavailable",
                    "the registry of edge nodes cannot be read; retry shortly");
            return;
        }
        pending.sync(view.nodes());
        Optional<Placement.Choice> choice = placement.choose(claims.orgId(), view.nodes(), pending::get,
                options.maxFallbacks());
        if (choice.isEmpty()) {
            metrics.noNode();
            error(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "no_node",
                    "no edge node can take a connection now (none registered, all draining or full); retry shortly");
            return;
        }
        Placement.Choice c = choice.get();
        pending.record(c.node());
        metrics.placed();
        ObjectNode body = json.createObjectNode().put("node_id", c.node().nodeId()).put("url", c.node().url());
        ArrayNode fallbacks = body.putArray("fallbacks");
        c.fallbacks().forEach(n -> fallbacks.addObject().put("node_id", n.nodeId()).put("url", n.url()));
        send(ctx, req, HttpResponseStatus.OK, body);
    }

    private void nodes(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (apiKeys == null || !apiKeys.accepts(req.headers().get("X-Api-Key"))) {
            error(ctx, req, HttpResponseStatus.UNAUTHORIZED, "unauthorized", "missing or invalid X-Api-Key");
            return;
        }
        NodeRegistry.Snapshot view = registry.snapshot();
        ObjectNode body = json.createObjectNode();
        body.put("view_age_ms", view.loaded() ? view.age().toMillis() : -1);
        ArrayNode nodes = body.putArray("nodes");
        view.nodes().forEach(n -> nodes.add(codec.toJson(n).put("pending", pending.get(n.nodeId()))));
        send(ctx, req, HttpResponseStatus.OK, body);
    }

    private void health(ChannelHandlerContext ctx, FullHttpRequest req) {
        NodeRegistry.Snapshot view = registry.snapshot();
        boolean fresh = view.age().compareTo(options.maxViewAge()) <= 0;
        ObjectNode body = json.createObjectNode().put("status", fresh ? "ok" : "registry_unavailable")
                .put("nodes", view.nodes().size());
        send(ctx, req, fresh ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
    }

    private void metrics(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!(meters instanceof PrometheusMeterRegistry prometheus)) {
            error(ctx, req, HttpResponseStatus.NOT_FOUND, "not_found", "no Prometheus registry configured");
            return;
        }
        byte[] bytes = prometheus.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(bytes));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        finish(ctx, req, res, bytes.length, true);
    }

    private static String bearer(FullHttpRequest req) {
        String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (h == null || h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return h.substring(7).strip();
    }

    private void error(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String code, String message) {
        ObjectNode body = json.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        send(ctx, req, status, body);
    }

    private void send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, ObjectNode body) {
        byte[] bytes = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        // An answer is only good for the registry of this moment; a cached one would pin clients to a dead node.
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (status.equals(HttpResponseStatus.SERVICE_UNAVAILABLE)) {
            res.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        finish(ctx, req, res, bytes.length, status.code() < 500);
    }

    private static void finish(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res, int length, boolean keepAlive) {
        HttpUtil.setContentLength(res, length);
        if (HttpUtil.isKeepAlive(req) && keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
