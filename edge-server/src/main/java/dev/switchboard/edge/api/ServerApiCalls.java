package dev.switchboard.edge.api;

import dev.switchboard.http.HttpError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.BrokerUnavailableException;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.session.ChatBackend;
import dev.switchboard.wire.ChannelNames;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.proto.ApiPublish;
import dev.switchboard.wire.proto.Disconnect;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.Subscribed;
import dev.switchboard.wire.proto.Unsubscribed;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What each server API call does, within what the calling key may do
 * ({@link CallScope}). A publish answers once the broker accepted
 * the publication (or 503 at once when it cannot, never hanging past the
 * publish timeout); calls that act on a user's sessions travel as control
 * messages on the user's personal channel, so they reach every node.
 */
final class ServerApiCalls {
    private static final long PUBLISH_TIMEOUT_MS = 5000;
    /**
     * Channels one publish or broadcast may name (Pusher's limit too). Every channel is a frame of its own built here
     * and queued for the broker, so without a bound one request of 1 MiB could name 100,000 channels and make the node
     * build and queue gigabytes.
     */
    static final int MAX_CHANNELS_PER_CALL = 100;

    private final int maxPayloadBytes;
    private final Broker broker;
    private final Hub hub;
    private final ObjectMapper json;
    private final ProcessStats processStats = new ProcessStats();
    private final String nodeId;

    private final DrainControl drainControl;
    private final ChatBackend chat;

    ServerApiCalls(EdgeServerOptions options, Broker broker, Hub hub, ChatBackend chat, ObjectMapper json,
                   DrainControl drainControl) {
        this.drainControl = drainControl;
        this.chat = chat;
        this.maxPayloadBytes = options.maxPayloadBytes();
        this.nodeId = options.nodeId();
        this.broker = broker;
        this.hub = hub;
        this.json = json;
    }

    void publish(ApiKeys.Key key, ObjectNode body, Reply reply) {
        String channel = channel(text(body, "channel"));
        CallScope.publishable(key, channel);
        publishAll(List.of(channel), payload(body), reply);
    }

    void publishProtobuf(ApiKeys.Key key, ByteBuf content, Reply reply) {
        ApiPublish req;
        try {
            req = ApiPublish.parseFrom(ByteBufUtil.getBytes(content));
        } catch (InvalidProtocolBufferException e) {
            throw HttpError.of(HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST", "malformed ApiPublish body");
        }
        if (req.getChannelsCount() == 0) {
            throw HttpError.of(HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST", "no channels");
        }
        List<String> channels = channels(req.getChannelsCount(), req.getChannelsList());
        channels.forEach(c -> CallScope.publishable(key, c));
        publishAll(channels, checkSize(req.getPayload()), reply);
    }

    void publishToUser(ApiKeys.Key key, ObjectNode body, Reply reply) {
        String org = id(body, "org");
        CallScope.org(key, org);
        String user = id(body, "user_id");
        publishAll(List.of(ChannelNames.personal(org, user)), payload(body), reply);
    }

    void broadcast(ApiKeys.Key key, ObjectNode body, Reply reply) {
        JsonNode list = body.get("channels");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw HttpError.of(HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST", "'channels' must be a non-empty array");
        }
        List<String> names = new ArrayList<>(Math.min(list.size(), MAX_CHANNELS_PER_CALL));
        for (int i = 0; i < list.size() && i < MAX_CHANNELS_PER_CALL; i++) {
            names.add(list.get(i).asText());
        }
        List<String> channels = channels(list.size(), names);
        channels.forEach(c -> CallScope.publishable(key, c));
        publishAll(channels, payload(body), reply);
    }

    /** The channels of a call that named {@code count}: checked names, at most {@link #MAX_CHANNELS_PER_CALL}, each once. */
    private static List<String> channels(int count, List<String> names) {
        if (count > MAX_CHANNELS_PER_CALL) {
            throw HttpError.of(HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST",
                    "at most " + MAX_CHANNELS_PER_CALL + " channels per call, got " + count);
        }
        Set<String> seen = new HashSet<>();
        List<String> channels = new ArrayList<>(names.size());
        for (String name : names) {
            String c = channel(name);
            if (!seen.add(c)) {
                throw HttpError.of(HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST", "channel " + c + " is named twice");
            }
            channels.add(c);
        }
        return channels;
    }

    private void publishAll(List<String> channels, ByteString payload, Reply reply) {
        long now = System.currentTimeMillis();
        List<CompletableFuture<Void>> sent = new ArrayList<>(channels.size());
        int recipients = 0;
        for (String channel : channels) {
            byte[] frame = ServerFrame.newBuilder().setPublication(Publication.newBuilder()
                    .setChannel(channel).setTimestampMs(now).setPayload(payload)).build().toByteArray();
            recipients += hub.localSubscribers(channel);
            sent.add(broker.publish(channel, frame));
        }
        int localRecipients = recipients;
        answerWhenSent(sent, reply, () -> Map.of("channels", channels.size(), "local_recipients", localRecipients));
    }

    void subscribe(ApiKeys.Key key, ObjectNode body, Reply reply) {
        String org = id(body, "org");
        CallScope.org(key, org);
        String user = id(body, "user_id");
        String channel = channelOf(org, text(body, "channel"));
        CallScope.subscribable(chat, org, user, channel).whenComplete((ok, err) -> {
            if (err == null) {
                control(org, user, ServerFrame.newBuilder().setSubscribed(Subscribed.newBuilder().setChannel(channel)).build(), reply);
            } else if (unwrap(err) instanceof HttpError e) {
                reply.error(e.status(), e.code(), e.getMessage());
            } else {
                reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "INTERNAL", "membership check failed");
            }
        });
    }

    void unsubscribe(ApiKeys.Key key, ObjectNode body, Reply reply) {
        String org = id(body, "org");
        CallScope.org(key, org);
        String user = id(body, "user_id");
        String channel = channelOf(org, text(body, "channel"));
        control(org, user, ServerFrame.newBuilder().setUnsubscribed(Unsubscribed.newBuilder().setChannel(channel)).build(), reply);
    }

    void disconnect(ApiKeys.Key key, ObjectNode body, Reply reply) {
        String org = id(body, "org");
        CallScope.org(key, org);
        String user = id(body, "user_id");
        int code = body.has("code") ? body.get("code").asInt() : DisconnectCode.FORCE_DISCONNECT.code();
        DisconnectCode known = DisconnectCode.of(code);
        if (known == null || code < 4000) {
            throw HttpError.of(HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST", "code must be one of the documented disconnect codes (4000-4999)");
        }
        Disconnect.Builder d = Disconnect.newBuilder().setCode(code).setReconnect(known.reconnect())
                .setReason(body.hasNonNull("reason") ? body.get("reason").asText() : known.reason());
        if (body.hasNonNull("session_id")) {
            d.setSessionId(body.get("session_id").asText());
        }
        if (body.hasNonNull("reconnect_after_ms")) {
            d.setReconnectAfterMs(Math.max(0, body.get("reconnect_after_ms").asInt()));
        }
        control(org, user, ServerFrame.newBuilder().setDisconnect(d).build(), reply);
    }

    private void control(String org, String user, ServerFrame frame, Reply reply) {
        CompletableFuture<Void> sent = broker.publish(ChannelNames.personal(org, user), frame.toByteArray());
        answerWhenSent(List.of(sent), reply, () -> Map.of("ok", true));
    }

    void presence(ApiKeys.Key key, String channel, Reply reply) {
        channel(channel);
        CallScope.channel(key, channel);
        hub.localUsers(channel).whenComplete((users, err) -> {
            if (err != null) {
                reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "INTERNAL", err.toString());
            } else {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("channel", channel);
                body.put("node_id", nodeId);
                body.put("online_user_ids", users);
                reply.ok(body);
            }
        });
    }

    void nodeStats(ApiKeys.Key key, Reply reply) {
        CallScope.platform(key, "a node's stats");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node_id", nodeId);
        body.put("connections", hub.sessionCount());
        body.put("subscriptions", hub.subscriptionCount());
        body.put("channels", hub.channelCount());
        body.put("deliveries", hub.deliveries());
        body.put("broker", broker.describe());
        body.put("broker_available", broker.isAvailable());
        body.put("draining", drainControl.isDraining());
        processStats.addTo(body);
        reply.ok(body);
    }

    void drain(ApiKeys.Key key, ObjectNode body, Reply reply) {
        CallScope.platform(key, "draining a node");
        long windowMs = body.has("window_ms") ? body.get("window_ms").asLong() : 30_000;
        if (windowMs < 0 || windowMs > 3_600_000) {
            throw HttpError.of(HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST", "window_ms must be 0-3600000");
        }
        int sessions = drainControl.drain(java.time.Duration.ofMillis(windowMs));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("node_id", nodeId);
        answer.put("draining", true);
        answer.put("sessions", sessions);
        answer.put("window_ms", windowMs);
        reply.ok(answer);
    }

    void channelStats(ApiKeys.Key key, String channel, Reply reply) {
        channel(channel);
        CallScope.channel(key, channel);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel", channel);
        body.put("node_id", nodeId);
        body.put("local_subscribers", hub.localSubscribers(channel));
        reply.ok(body);
    }

    private static void answerWhenSent(List<CompletableFuture<Void>> sent, Reply reply, java.util.function.Supplier<Object> body) {
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                .orTimeout(PUBLISH_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .whenComplete((v, err) -> {
                    if (err == null) {
                        reply.ok(body.get());
                        return;
                    }
                    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                    if (cause instanceof BrokerUnavailableException || cause instanceof TimeoutException) {
                        reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "UNAVAILABLE", "broker unavailable");
                    } else {
                        reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "INTERNAL", cause.toString());
                    }
                });
    }

    private ByteString payload(ObjectNode body) {
        if (body.has("b64data")) {
            try {
                return checkSize(ByteString.copyFrom(Base64.getDecoder().decode(body.get("b64data").asText())));
            } catch (IllegalArgumentException e) {
                throw HttpError.of(HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST", "b64data is not base64");
            }
        }
        if (!body.has("data")) {
            throw HttpError.of(HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST", "'data' (any JSON) or 'b64data' is required");
        }
        try {
            return checkSize(ByteString.copyFrom(json.writeValueAsBytes(body.get("data"))));
        } catch (JsonProcessingException e) {
            throw HttpError.of(HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST", "data cannot be encoded");
        }
    }

    private ByteString checkSize(ByteString payload) {
        if (payload.size() > maxPayloadBytes) {
            throw HttpError.of(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                    "payload of " + payload.size() + " bytes is over the limit of " + maxPayloadBytes);
        }
        return payload;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static String text(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw HttpError.of(HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST", "'" + field + "' (string) is required");
        }
        return v.asText();
    }

    private static String id(ObjectNode body, String field) {
        String v = text(body, field);
        ServerApiRoutes.requireId(v, field);
        return v;
    }

    private static String channel(String channel) {
        if (!ChannelNames.isValid(channel)) {
            throw HttpError.of(HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST",
                    "invalid channel name (expected <org>/<name> of [A-Za-z0-9_.:@=#/-]): " + channel);
        }
        return channel;
    }

    private static String channelOf(String org, String channel) {
        channel(channel);
        if (!ChannelNames.belongsTo(channel, org)) {
            throw HttpError.of(HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST", "channel " + channel + " is not in org " + org);
        }
        return channel;
    }
}
