package dev.switchboard.edge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.Ids;
import dev.switchboard.bridge.Broker;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.pipeline.HttpResponses;
import dev.switchboard.edge.session.ChatBackend;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Routes server API requests: finds the API key (the internal credential is
 * not one: it is for the message-service), parses the body, and hands the call
 * and its key to {@link ServerApiCalls}. Answers are JSON; errors are
 * {@code {"error":{"code","message"}}} with 400, 401, 403, 404, 405, 409, 413 or 503.
 */
@ChannelHandler.Sharable
final class ServerApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String PROTOBUF = "application/x-protobuf";

    private final ApiKeys keys;
    private final ObjectMapper json = new ObjectMapper();
    private final ServerApiCalls calls;
    private final EdgeMetrics metrics;

    ServerApiHandler(EdgeServerOptions options, ApiKeys keys, Broker broker, Hub hub, ChatBackend chat, EdgeMetrics metrics,
                     DrainControl drain) {
        this.keys = keys;
        this.metrics = metrics;
        this.calls = new ServerApiCalls(options, broker, hub, chat, json, drain);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        if (path.equals("/metrics") && req.method().equals(HttpMethod.GET)) {
            metrics(ctx, req);
            return;
        }
        if (path.equals("/healthz")) {
            HttpResponses.json(ctx, req, HttpResponseStatus.OK, "{\"status\":\"ok\"}");
            return;
        }
        ApiKeys.Key key = keys.find(req.headers().get("X-Api-Key"));
        if (key == null || key.isInternal()) {
            HttpResponses.error(ctx, req, HttpResponseStatus.UNAUTHORIZED, "unauthorized", "missing or invalid X-Api-Key");
            return;
        }
        Reply reply = new Reply(ctx, req, json);
        try {
            route(key, req, uri, path, reply);
        } catch (ApiException e) {
            reply.error(e.status(), e.code(), e.getMessage());
        }
    }

    private void route(ApiKeys.Key key, FullHttpRequest req, QueryStringDecoder uri, String path, Reply reply) {
        HttpMethod m = req.method();
        switch (path) {
            case "/v1/publish" -> {
                post(m);
                if (isProtobuf(req)) {
                    calls.publishProtobuf(key, req.content(), reply);
                } else {
                    calls.publish(key, body(req), reply);
                }
            }
            case "/v1/user/publish" -> { post(m); calls.publishToUser(key, body(req), reply); }
            case "/v1/broadcast" -> { post(m); calls.broadcast(key, body(req), reply); }
            case "/v1/subscribe" -> { post(m); calls.subscribe(key, body(req), reply); }
            case "/v1/unsubscribe" -> { post(m); calls.unsubscribe(key, body(req), reply); }
            case "/v1/disconnect" -> { post(m); calls.disconnect(key, body(req), reply); }
            case "/v1/presence" -> { get(m); calls.presence(key, param(uri, "channel"), reply); }
            case "/v1/stats" -> { get(m); calls.nodeStats(key, reply); }
            case "/v1/drain" -> { post(m); calls.drain(key, body(req), reply); }
            case "/v1/channels/stats" -> { get(m); calls.channelStats(key, param(uri, "channel"), reply); }
            default -> throw new ApiException(HttpResponseStatus.NOT_FOUND, "not_found", "no such endpoint: " + path);
        }
    }

    private static void post(HttpMethod m) {
        if (!HttpMethod.POST.equals(m)) {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "use POST");
        }
    }

    private static void get(HttpMethod m) {
        if (!HttpMethod.GET.equals(m)) {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "use GET");
        }
    }

    private static boolean isProtobuf(FullHttpRequest req) {
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.startsWith(PROTOBUF);
    }

    private ObjectNode body(FullHttpRequest req) {
        try (ByteBufInputStream in = new ByteBufInputStream(req.content().duplicate())) {
            JsonNode node = json.readTree((java.io.InputStream) in);
            if (node == null || !node.isObject()) {
                throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", "the body must be a JSON object");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    private static String param(QueryStringDecoder uri, String name) {
        var values = uri.parameters().get(name);
        if (values == null || values.isEmpty() || values.get(0).isBlank()) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", "query parameter '" + name + "' is required");
        }
        return values.get(0);
    }

    private void metrics(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (metrics.registry() instanceof PrometheusMeterRegistry prometheus) {
            HttpResponses.send(ctx, req, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(prometheus.scrape(), StandardCharsets.UTF_8), "text/plain; version=0.0.4");
        } else {
            HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND, "not_found", "no Prometheus registry configured");
        }
    }

    static void requireId(String value, String field) {
        if (!Ids.isValid(value)) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", field + " must be an id of 1-64 [A-Za-z0-9_.-]");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
