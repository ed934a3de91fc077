package dev.switchboard.balancer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.Ids;
import dev.switchboard.http.Authenticator;
import dev.switchboard.http.Body;
import dev.switchboard.http.Credentials;
import dev.switchboard.http.HttpError;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.Response;
import dev.switchboard.http.Router;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The read-only fleet status page and its one action (docs/operations.md, "Fleet
 * status page"). {@code GET /fleet} is a static page (HTML and plain JavaScript, no
 * data in it, so it needs no key); everything it shows comes from
 * {@code GET /v1/fleet}: every node's registry record as the node wrote it
 * (connections, capacity, draining, and the {@code status} it adds: broker state,
 * busiest channels, last disconnects). {@code POST /v1/fleet/nodes/{id}/drain}
 * forwards a drain to that node's server API ({@code api_url} from its record,
 * never from the request) with the caller's own API key, so the balancer gains no
 * power of its own: the edge decides whether that key may drain it. Both JSON
 * routes take a platform API key. Nothing here blocks an event loop: Redis and
 * the edge are called asynchronously.
 */
final class FleetRoutes {
    static final String NODE_UNKNOWN = "NODE_UNKNOWN";
    static final String NO_API_URL = "NO_API_URL";
    static final String EDGE_UNREACHABLE = "EDGE_UNREACHABLE";
    private static final Duration EDGE_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_DRAIN_BODY = 1024;

    private final NodeRegistry registry;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient edges = HttpClient.newBuilder().connectTimeout(EDGE_TIMEOUT).build();
    private final byte[] page;

    FleetRoutes(NodeRegistry registry) {
        this.registry = registry;
        this.page = resource("fleet.html");
    }

    Router router(Authenticator platform) {
        return Router.builder()
                .get("/fleet", Authenticator.NONE, ex -> ex.respond(Response.of(HttpResponseStatus.OK, page, "text/html; charset=utf-8")
                        .header("Cache-Control", "no-store")
                        .header("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline' 'self'; style-src 'unsafe-inline'")))
                .get("/v1/fleet", platform, this::fleet)
                // The balancer takes no bodies elsewhere (its server's limit is 0): this one is a small JSON object.
                .route(HttpMethod.POST, "/v1/fleet/nodes/{id}/drain", platform, Body.buffered(MAX_DRAIN_BODY), this::drain)
                .build();
    }

    private void fleet(HttpExchange ex) {
        NodeRegistry.Snapshot view = registry.snapshot();
        ex.complete(registry.records().thenApply(records -> {
            ObjectNode body = json.createObjectNode();
            body.put("view_age_ms", view.loaded() ? view.age().toMillis() : -1);
            body.put("now_ms", System.currentTimeMillis());
            ArrayNode nodes = body.putArray("nodes");
            for (JsonNode r : records) {
                ObjectNode n = ((ObjectNode) r).deepCopy();
                int capacity = r.path("capacity").asInt(1);
                n.put("load", capacity <= 0 ? 0 : r.path("connections").asDouble() / capacity);
                nodes.add(n);
            }
            return Response.ok(body);
        }).exceptionally(e -> {
            throw HttpError.unavailable("the registry of edge nodes cannot be read: " + e.getMessage(), 1);
        }));
    }

    private void drain(HttpExchange ex) {
        String id = ex.pathParam("id");
        if (!Ids.isValid(id)) {
            throw HttpError.badRequest("node id must be an id of 1-64 [A-Za-z0-9_.-]: " + id);
        }
        JsonNode request = parse(ex.body());
        String key = Credentials.apiKey(ex.request());
        ex.complete(registry.records().thenCompose(records -> {
            JsonNode node = records.stream().filter(r -> id.equals(r.path("node_id").asText())).findFirst()
                    .orElseThrow(() -> HttpError.of(HttpResponseStatus.NOT_FOUND, NODE_UNKNOWN, "no node " + id + " in the registry"));
            String api = node.path("api_url").asText("");
            if (api.isEmpty()) {
                throw HttpError.of(HttpResponseStatus.CONFLICT, NO_API_URL,
                        "node " + id + " does not announce its server API URL (start it with --api-url)");
            }
            return forward(URI.create(api.replaceAll("/+$", "") + "/v1/drain"), key, request, id);
        }));
    }

    private CompletionStage<Response> forward(URI target, String key, JsonNode request, String id) {
        HttpRequest req = HttpRequest.newBuilder(target).timeout(EDGE_TIMEOUT)
                .header("Content-Type", "application/json").header(Credentials.API_KEY, key == null ? "" : key)
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build();
        return edges.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).handle((res, e) -> {
            if (e != null) {
                throw HttpError.of(HttpResponseStatus.BAD_GATEWAY, EDGE_UNREACHABLE,
                        "node " + id + " did not answer at " + target + ": " + e.getClass().getSimpleName());
            }
            // The edge's own answer, status and body, as it gave it (its 401 if the key may not drain it).
            return Response.of(HttpResponseStatus.valueOf(res.statusCode()), res.body(),
                    res.headers().firstValue("Content-Type").orElse(Response.JSON));
        });
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return json.createObjectNode();
        }
        try {
            JsonNode n = json.readTree(body);
            if (n == null || !n.isObject()) {
                throw HttpError.badRequest("the body must be a JSON object, e.g. {\"window_ms\":30000}");
            }
            return n;
        } catch (IOException e) {
            throw HttpError.badRequest("malformed JSON");
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = FleetRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
