package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.wire.proto.ApiPublish;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The server API from a backend service: push events to channels and users,
 * manage users' live subscriptions, disconnect users, read presence and stats.
 * Asynchronous (JDK HttpClient); a non-2xx answer fails the future with
 * {@link ApiError} carrying the status and the error code.
 */
public final class ServerApiClient {
    private final HttpClient http;
    private final URI base;
    private final String apiKey;
    private final ObjectMapper json = new ObjectMapper();
    private final Duration timeout;

    public ServerApiClient(URI base, String apiKey) {
        this(base, apiKey, Duration.ofSeconds(10));
    }

    public ServerApiClient(URI base, String apiKey, Duration timeout) {
        this.base = base;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Publishes a JSON value to a channel; the answer has {@code local_recipients}. */
    public CompletableFuture<JsonNode> publish(String channel, Object data) {
        ObjectNode body = json.createObjectNode().put("channel", channel);
        body.set("data", json.valueToTree(data));
        return post("/v1/publish", body);
    }

    /** Publishes opaque bytes to a channel. */
    public CompletableFuture<JsonNode> publishBytes(String channel, byte[] payload) {
        ObjectNode body = json.createObjectNode().put("channel", channel).put("b64data", Base64.getEncoder().encodeToString(payload));
        return post("/v1/publish", body);
    }

    /** Publishes with a protobuf body: the cheapest form for high-rate publishers. */
    public CompletableFuture<JsonNode> publishProtobuf(List<String> channels, byte[] payload) {
        byte[] body = ApiPublish.newBuilder().addAllChannels(channels)
                .setPayload(com.google.protobuf.ByteString.copyFrom(payload)).build().toByteArray();
        return send(request("/v1/publish").header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** Pushes to every live session of one user, on every node. */
    public CompletableFuture<JsonNode> publishToUser(String org, String userId, Object data) {
        ObjectNode body = json.createObjectNode().put("org", org).put("user_id", userId);
        body.set("data", json.valueToTree(data));
        return post("/v1/user/publish", body);
    }

    public CompletableFuture<JsonNode> broadcast(List<String> channels, Object data) {
        ObjectNode body = json.createObjectNode();
        body.set("channels", json.valueToTree(channels));
        body.set("data", json.valueToTree(data));
        return post("/v1/broadcast", body);
    }

    /** Subscribes the user's live sessions (on every node) to a channel. */
    public CompletableFuture<JsonNode> subscribe(String org, String userId, String channel) {
        return post("/v1/subscribe", json.createObjectNode().put("org", org).put("user_id", userId).put("channel", channel));
    }

    public CompletableFuture<JsonNode> unsubscribe(String org, String userId, String channel) {
        return post("/v1/unsubscribe", json.createObjectNode().put("org", org).put("user_id", userId).put("channel", channel));
    }

    /** Disconnects the user's sessions with a documented disconnect code; {@code sessionId} null means all of them. */
    public CompletableFuture<JsonNode> disconnect(String org, String userId, int code, String reason, String sessionId) {
        ObjectNode body = json.createObjectNode().put("org", org).put("user_id", userId).put("code", code);
        if (reason != null) {
            body.put("reason", reason);
        }
        if (sessionId != null) {
            body.put("session_id", sessionId);
        }
        return post("/v1/disconnect", body);
    }

    public CompletableFuture<JsonNode> presence(String channel) {
        return get("/v1/presence?channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8));
    }

    public CompletableFuture<JsonNode> stats() {
        return get("/v1/stats");
    }

    public CompletableFuture<JsonNode> channelStats(String channel) {
        return get("/v1/channels/stats?channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8));
    }

    private CompletableFuture<JsonNode> post(String path, ObjectNode body) {
        try {
            return send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CompletableFuture<JsonNode> get(String path) {
        return send(request(path).GET().build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).header("X-Api-Key", apiKey);
    }

    private CompletableFuture<JsonNode> send(HttpRequest req) {
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).thenApply(res -> {
            JsonNode body;
            try {
                body = res.body().length == 0 ? json.createObjectNode() : json.readTree(res.body());
            } catch (IOException e) {
                throw new ApiError(res.statusCode(), "BAD_RESPONSE", "not JSON: " + e.getMessage());
            }
            if (res.statusCode() / 100 != 2) {
                JsonNode err = body.path("error");
                throw new ApiError(res.statusCode(), err.path("code").asText("HTTP_" + res.statusCode()), err.path("message").asText(""));
            }
            return body;
        });
    }

    /** A non-2xx answer of the server API. */
    public static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String code;

        public ApiError(int status, String code, String message) {
            super(status + " " + code + ": " + message, null, false, false);
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }
    }
}
