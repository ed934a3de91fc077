package dev.switchboard.edge.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.Ids;
import dev.switchboard.bridge.Broker;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.session.ChatBackend;
import dev.switchboard.http.Authenticator;
import dev.switchboard.http.Body;
import dev.switchboard.http.Credentials;
import dev.switchboard.http.HttpError;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.Response;
import dev.switchboard.http.Router;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The routes of the server API port on the shared HTTP layer (ADR 0009): every
 * {@code /v1} route authenticates its API key from the head before any body is
 * read (the internal credential is not one: it is for the message-service),
 * bodies are buffered up to {@link EdgeServerOptions#maxApiBodyBytes()}, and the
 * call and its key go to {@link ServerApiCalls}. {@code /healthz} and
 * {@code /metrics} need no key. Errors are the layer's envelope.
 */
final class ServerApiRoutes {
    static final String PROTOBUF = "application/x-protobuf";

    private final ApiKeys keys;
    private final ObjectMapper json = new ObjectMapper();
    private final ServerApiCalls calls;
    private final EdgeMetrics metrics;
    private final Body body;

    ServerApiRoutes(EdgeServerOptions options, ApiKeys keys, Broker broker, Hub hub, ChatBackend chat, EdgeMetrics metrics,
                    DrainControl drain) {
        this.keys = keys;
        this.metrics = metrics;
        this.calls = new ServerApiCalls(options, broker, hub, chat, json, drain);
        this.body = Body.buffered(options.maxApiBodyBytes());
    }

    Router router() {
        Authenticator key = Credentials.apiKey(keys); // the internal credential is refused like an unknown key
        return Router.builder()
                .get("/healthz", Authenticator.NONE, ex -> ex.respond(Response.ok(Map.of("status", "ok"))))
                .get("/metrics", Authenticator.NONE, this::metrics)
                .route(HttpMethod.POST, "/v1/publish", key, body, ex -> {
                    if (isProtobuf(ex)) {
                        calls.publishProtobuf(key(ex), Unpooled.wrappedBuffer(ex.body()), reply(ex));
                    } else {
                        calls.publish(key(ex), json(ex), reply(ex));
                    }
                })
                .route(HttpMethod.POST, "/v1/user/publish", key, body, ex -> calls.publishToUser(key(ex), json(ex), reply(ex)))
                .route(HttpMethod.POST, "/v1/broadcast", key, body, ex -> calls.broadcast(key(ex), json(ex), reply(ex)))
                .route(HttpMethod.POST, "/v1/subscribe", key, body, ex -> calls.subscribe(key(ex), json(ex), reply(ex)))
                .route(HttpMethod.POST, "/v1/unsubscribe", key, body, ex -> calls.unsubscribe(key(ex), json(ex), reply(ex)))
                .route(HttpMethod.POST, "/v1/disconnect", key, body, ex -> calls.disconnect(key(ex), json(ex), reply(ex)))
                .get("/v1/presence", key, ex -> calls.presence(key(ex), param(ex, "channel"), reply(ex)))
                .get("/v1/stats", key, ex -> calls.nodeStats(key(ex), reply(ex)))
                .route(HttpMethod.POST, "/v1/drain", key, body, ex -> calls.drain(key(ex), json(ex), reply(ex)))
                .get("/v1/channels/stats", key, ex -> calls.channelStats(key(ex), param(ex, "channel"), reply(ex)))
                .build();
    }

    private Reply reply(HttpExchange ex) {
        return new Reply(ex, json);
    }

    private static ApiKeys.Key key(HttpExchange ex) {
        return ex.principal(ApiKeys.Key.class);
    }

    private static boolean isProtobuf(HttpExchange ex) {
        String type = ex.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.startsWith(PROTOBUF);
    }

    private ObjectNode json(HttpExchange ex) {
        try {
            JsonNode node = json.readTree(ex.body());
            if (node == null || !node.isObject()) {
                throw HttpError.badRequest("the body must be a JSON object");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw HttpError.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HttpError.badRequest("unreadable body");
        }
    }

    private static String param(HttpExchange ex, String name) {
        String v = ex.queryParam(name);
        if (v == null || v.isBlank()) {
            throw HttpError.badRequest("query parameter '" + name + "' is required");
        }
        return v;
    }

    private void metrics(HttpExchange ex) {
        if (!(metrics.registry() instanceof PrometheusMeterRegistry prometheus)) {
            throw HttpError.notFound("no Prometheus registry configured");
        }
        ex.respond(Response.of(HttpResponseStatus.OK, prometheus.scrape().getBytes(StandardCharsets.UTF_8),
                "text/plain; version=0.0.4; charset=utf-8"));
    }

    static void requireId(String value, String field) {
        if (!Ids.isValid(value)) {
            throw HttpError.badRequest(field + " must be an id of 1-64 [A-Za-z0-9_.-]");
        }
    }
}
