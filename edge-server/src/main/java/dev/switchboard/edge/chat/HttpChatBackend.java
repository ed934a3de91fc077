package dev.switchboard.edge.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.switchboard.edge.session.ChatBackend;
import dev.switchboard.edge.session.ChatBackendException;
import dev.switchboard.wire.ChannelNames;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.chat.ChatMessage;
import dev.switchboard.wire.proto.HistoryResult;
import dev.switchboard.wire.proto.PublishResult;
import dev.switchboard.wire.proto.StreamPosition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;

/**
 * The message-service over its REST API, for edge nodes in production. Calls
 * carry the fleet's internal credential ({@code --internal-key}, never a
 * backend's API key; docs/security.md, "How keys are scoped") and act as the session's user
 * ({@code X-Switchboard-User}/{@code X-Switchboard-Org}), so the
 * message-service applies the same membership rules as for the user's own
 * requests. Asynchronous: nothing waits on an event loop.
 */
public final class HttpChatBackend implements ChatBackend {
    private final HttpClient http;
    private final URI base;
    private final String apiKey;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    public HttpChatBackend(URI base, String apiKey, Duration timeout) {
        this.base = base;
        this.apiKey = apiKey;
        this.timeout = timeout;
        // sendAsync() is called on event loops and hands work to the client's executor at once. The default
        // executor (a cached thread pool) takes a lock to add a worker, which an event loop may then wait for;
        // starting a virtual thread takes none, and response handling then runs on virtual threads too.
        this.http = HttpClient.newBuilder().connectTimeout(timeout).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    @Override
    public CompletableFuture<List<StreamPosition>> positionsOf(String org, String userId) {
        // Without the unread counts, which the edge does not use (an older message-service ignores the parameter).
        return call(org, userId, HttpRequest.newBuilder(base.resolve("/v1/me/channels?counts=false")).GET()).thenApply(body -> {
            List<StreamPosition> positions = new ArrayList<>();
            for (String kind : List.of("dms", "groups")) {
                for (JsonNode c : body.path(kind)) {
                    positions.add(StreamPosition.newBuilder().setChannel(ChannelNames.chat(org, c.path("id").asLong()))
                            .setSeq(c.path("last_seq").asLong()).build());
                }
            }
            return positions;
        }).exceptionallyCompose(err -> {
            // A user the message-service does not know yet simply has no chat channels.
            Throwable cause = unwrap(err);
            if (cause instanceof ChatBackendException e && e.code() == ErrorCode.NOT_FOUND) {
                return CompletableFuture.completedFuture(List.of());
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    @Override
    public CompletableFuture<Void> checkRead(String org, String userId, long channelId) {
        return call(org, userId, HttpRequest.newBuilder(base.resolve("/v1/channels/" + channelId)).GET()).thenApply(b -> null);
    }

    @Override
    public CompletableFuture<List<String>> members(String org, String userId, long channelId) {
        return call(org, userId, HttpRequest.newBuilder(base.resolve("/v1/channels/" + channelId)).GET()).thenApply(body -> {
            List<String> members = new ArrayList<>();
            body.path("members").forEach(m -> members.add(m.isTextual() ? m.asText() : m.path("user_id").asText(m.path("id").asText())));
            return members;
        });
    }

    @Override
    public CompletableFuture<PublishResult> send(String org, String userId, long channelId, ByteString payload, String clientMsgId) {
        ChatSendPayload.RestCall rest;
        try {
            rest = ChatSendPayload.parse(payload).toRestCall(channelId, clientMsgId);
        } catch (ChatBackendException e) {
            return CompletableFuture.failedFuture(e);
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve(rest.path())).header("Content-Type", "application/json")
                .method(rest.method(), rest.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(rest.body()));
        return call(org, userId, req).thenApply(HttpChatBackend::result);
    }

    /** The answer to a publish: the log entry's sequence (an event's, or a new message's own; ADR 0013). */
    private static PublishResult result(JsonNode m) {
        ChatMessage stored;
        try {
            stored = ChatMessage.fromJson(m);
        } catch (IllegalArgumentException e) {
            throw new ChatBackendException(ErrorCode.INTERNAL, "unreadable message-service answer: " + e.getMessage());
        }
        return PublishResult.newBuilder().setSeq(stored.logSeq()).setMessageId(stored.id())
                .setTimestampMs(stored.event() == null ? stored.createdAt().toEpochMilli() : stored.event().at().toEpochMilli())
                .build();
    }

    @Override
    public CompletableFuture<HistoryResult> history(String org, String userId, long channelId, boolean forward,
                                                    long afterSeq, long beforeSeq, int limit) {
        String query = forward ? "after=" + afterSeq : (beforeSeq > 0 ? "before=" + beforeSeq : "");
        String path = "/v1/channels/" + channelId + "/messages?limit=" + limit + (query.isEmpty() ? "" : "&" + query);
        return page(org, userId, channelId, path, "messages");
    }

    @Override
    public CompletableFuture<HistoryResult> replies(String org, String userId, long channelId, long rootId,
                                                    long afterSeq, int limit) {
        return page(org, userId, channelId, "/v1/channels/" + channelId + "/messages/" + rootId + "/replies?limit="
                + limit + "&after=" + afterSeq, "replies");
    }

    /** A page of messages ({@code field}: [...], next_cursor) as publications of the channel. */
    private CompletableFuture<HistoryResult> page(String org, String userId, long channelId, String path, String field) {
        String channel = ChannelNames.chat(org, channelId);
        return call(org, userId, HttpRequest.newBuilder(base.resolve(path)).GET()).thenApply(page -> {
            HistoryResult.Builder result = HistoryResult.newBuilder();
            for (JsonNode m : page.path(field)) {
                result.addPublications(ChatMessage.fromJson(m).publication(channel));
            }
            JsonNode next = page.path("next_cursor");
            result.setNextCursor(next.isNumber() ? next.asLong() : 0);
            return result.build();
        });
    }

    @Override
    public CompletableFuture<Long> markRead(String org, String userId, long channelId, long seq) {
        HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve("/v1/channels/" + channelId + "/read"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"seq\":" + seq + "}"));
        return call(org, userId, req).thenApply(body -> body.path("last_read_seq").asLong(body.path("seq").asLong()));
    }

    private CompletableFuture<JsonNode> call(String org, String userId, HttpRequest.Builder req) {
        HttpRequest request = req.timeout(timeout).header("X-Api-Key", apiKey)
                .header("X-Switchboard-User", userId).header("X-Switchboard-Org", org).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((res, err) -> {
            if (err != null) {
                throw new ChatBackendException(ErrorCode.UNAVAILABLE, "message-service unreachable: " + unwrap(err).getMessage());
            }
            JsonNode body = parse(res.body());
            if (res.statusCode() / 100 == 2) {
                return body;
            }
            throw new ChatBackendException(codeFor(res.statusCode(), body.path("error").path("code").asText("")),
                    body.path("error").path("message").asText("HTTP " + res.statusCode()));
        });
    }

    private JsonNode parse(byte[] bytes) {
        try {
            return bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    /** The protocol's code the message-service named (its REST codes spell them the same), else one from the status. */
    private static ErrorCode codeFor(int status, String named) {
        for (ErrorCode c : ErrorCode.values()) {
            if (c.name().equals(named) && c != ErrorCode.INTERNAL) {
                return c;
            }
        }
        return switch (status) {
            case 400, 413 -> status == 413 ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.BAD_REQUEST;
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.PERMISSION_DENIED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 409 -> ErrorCode.CONFLICT;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> ErrorCode.INTERNAL;
        };
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
