package dev.switchboard.wire.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.switchboard.wire.proto.Publication;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored chat message as every reader gets it, and the one definition of its
 * three shapes:
 * <ul>
 *   <li>{@link #payload()}: the publication payload, UTF-8 JSON
 *       {@code {"id","seq","text","sender","created_at","attachments"}};</li>
 *   <li>{@link #publication(String)}: the {@code Publication} around it, as live
 *       subscribers, history pages and recovery replays carry it;</li>
 *   <li>{@link #toJson()} / {@link #fromJson(JsonNode)}: the message object of the
 *       REST API, which the edge reads back to answer history and replay.</li>
 * </ul>
 * The message-service writes the live copy and the REST object from here, and the
 * edge rebuilds the publication from the REST object with the same code, so the
 * live, history and replay copies of a message are the same bytes. A new kind of
 * channel event (an edit, a reaction, a thread reply) adds its fields here, once.
 *
 * <p>Every change to a message is an entry of the channel's log (ADR 0013) and
 * travels in this same shape: the message as it is after the change
 * ({@link MessageState}: edited text, tombstone, reactions, thread) and, for an
 * edit, delete or reaction, the {@link ChatEvent} whose sequence the publication
 * carries. A client keeps, per message id, the copy from the newest entry it
 * applied; any suffix of the log then leaves it where a fresh history load does.
 *
 * <p>{@code attachmentsJson} is the JSON array stored with the message (null: none);
 * it is parsed and re-serialized by Jackson in every shape, so a copy read back
 * from the REST object serializes exactly as the original.
 */
public record ChatMessage(long id, long channelId, long seq, String sender, String text,
                          String attachmentsJson, String clientMsgId, Instant createdAt,
                          MessageState state, ChatEvent event) {
    /** Read-only after construction, so shared; protobuf and Jackson write the same bytes for the same values. */
    private static final ObjectMapper JSON = new ObjectMapper();

    public ChatMessage {
        Objects.requireNonNull(state, "state");
    }

    /** A message as sent, nothing happened to it since. */
    public ChatMessage(long id, long channelId, long seq, String sender, String text, String attachmentsJson,
                       String clientMsgId, Instant createdAt) {
        this(id, channelId, seq, sender, text, attachmentsJson, clientMsgId, createdAt, MessageState.NONE, null);
    }

    /** What this log entry did: {@link EventKind#MESSAGE} for the message's own creation. */
    public EventKind kind() {
        return event == null ? EventKind.MESSAGE : event.kind();
    }

    /** The sequence of this log entry: the event's, or the message's own. */
    public long logSeq() {
        return event == null ? seq : event.seq();
    }

    /** The publication payload. */
    public byte[] payload() {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("seq", seq);
        n.put("text", text);
        n.put("sender", sender);
        n.put("created_at", time(createdAt));
        n.set("attachments", attachments());
        writeLifecycle(n);
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The publication on {@code channel} (the realtime name {@code <org>/chat/<id>}). */
    public Publication publication(String channel) {
        // An event's publication is the event's: its sequence, actor, time and idempotency key.
        Publication.Builder p = Publication.newBuilder()
                .setChannel(channel)
                .setSeq(logSeq())
                .setSenderId(event == null ? sender : event.actor())
                .setTimestampMs(event == null ? createdAt.toEpochMilli() : event.at().toEpochMilli())
                .setPayload(ByteString.copyFrom(payload()))
                .setMessageId(id);
        String key = event == null ? clientMsgId : event.clientId();
        if (key != null) {
            p.setClientMsgId(key);
        }
        return p.build();
    }

    /** The message object of the REST API. */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("channel_id", channelId);
        n.put("seq", seq);
        n.put("sender", sender);
        n.put("text", text);
        n.set("attachments", attachments());
        n.put("client_msg_id", clientMsgId);
        n.put("created_at", time(createdAt));
        writeLifecycle(n);
        return n;
    }

    private void writeLifecycle(ObjectNode n) {
        state.write(n);
        if (event != null) {
            ObjectNode e = n.putObject("event");
            event.write(e);
        }
    }

    /**
     * The message a REST message object describes ({@link #toJson()} read back).
     *
     * @throws IllegalArgumentException if a field is missing or of the wrong type
     */
    public static ChatMessage fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a message must be a JSON object");
        }
        JsonNode attachments = n.get("attachments");
        return new ChatMessage(Fields.number(n, "id"), Fields.number(n, "channel_id"), Fields.number(n, "seq"),
                Fields.string(n, "sender"), Fields.string(n, "text"),
                attachments == null || attachments.isNull() ? null : attachments.toString(),
                Fields.string(n, "client_msg_id"), Fields.instant(n, "created_at"), MessageState.read(n),
                ChatEvent.read(n.get("event")));
    }

    /**
     * The message a publication on chat channel {@code channelId} carries (what clients read: the payload
     * has no channel id, and the message's own client id is not in it).
     *
     * @throws IllegalArgumentException if the payload is not a chat message
     */
    public static ChatMessage fromPublication(Publication p, long channelId) {
        JsonNode n;
        try {
            n = JSON.readTree(p.getPayload().toByteArray());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("a chat payload must be JSON", e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a chat payload must be a JSON object");
        }
        ObjectNode withChannel = ((ObjectNode) n).put("channel_id", channelId);
        withChannel.remove("client_msg_id");
        return fromJson(withChannel);
    }

    private JsonNode attachments() {
        if (attachmentsJson == null) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(attachmentsJson);
        } catch (JsonProcessingException e) {
            // Attachments are validated JSON on the way in; this is a corrupted row.
            throw new UncheckedIOException(e);
        }
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
