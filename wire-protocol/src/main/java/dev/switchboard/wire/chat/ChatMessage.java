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
import java.time.format.DateTimeParseException;

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
 * <p>{@code attachmentsJson} is the JSON array stored with the message (null: none);
 * it is parsed and re-serialized by Jackson in every shape, so a copy read back
 * from the REST object serializes exactly as the original.
 */
public record ChatMessage(long id, long channelId, long seq, String sender, String text,
                          String attachmentsJson, String clientMsgId, Instant createdAt) {
    /** Read-only after construction, so shared; protobuf and Jackson write the same bytes for the same values. */
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The publication payload. */
    public byte[] payload() {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("seq", seq);
        n.put("text", text);
        n.put("sender", sender);
        n.put("created_at", time(createdAt));
        n.set("attachments", attachments());
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The publication on {@code channel} (the realtime name {@code <org>/chat/<id>}). */
    public Publication publication(String channel) {
        Publication.Builder p = Publication.newBuilder()
                .setChannel(channel)
                .setSeq(seq)
                .setSenderId(sender)
                .setTimestampMs(createdAt.toEpochMilli())
                .setPayload(ByteString.copyFrom(payload()))
                .setMessageId(id);
        if (clientMsgId != null) {
            p.setClientMsgId(clientMsgId);
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
        return n;
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
        return new ChatMessage(number(n, "id"), number(n, "channel_id"), number(n, "seq"), string(n, "sender"),
                string(n, "text"), attachments == null || attachments.isNull() ? null : attachments.toString(),
                string(n, "client_msg_id"), instant(n, "created_at"));
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

    private static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(field + " must be an integer");
        }
        return v.longValue();
    }

    private static String string(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.textValue();
    }

    private static Instant instant(JsonNode n, String field) {
        String v = string(n, field);
        if (v == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be an ISO-8601 instant");
        }
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
