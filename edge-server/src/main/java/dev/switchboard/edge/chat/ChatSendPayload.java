package dev.switchboard.edge.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.switchboard.edge.session.ChatBackendException;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.StorableText;
import dev.switchboard.wire.chat.EventKind;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of a WebSocket {@code publish} to a chat channel: the same JSON as
 * the REST bodies. A new message (the default {@code "kind"}) is
 * {@code {"text": "...", "attachments": [...], "parent_id": N, "also_to_channel": true, "mentions": [...]}}
 * (all but one of text and attachments optional); a change to a message names its
 * kind and the message (ADR 0013):
 * {@code {"kind": "edit", "message_id": N, "text": "..."}}, {@code {"kind": "delete", "message_id": N}},
 * {@code {"kind": "reaction_added" | "reaction_removed", "message_id": N, "emoji": "..."}}.
 * The client message id travels in the Publish frame itself. Text that cannot be
 * stored as sent ({@link StorableText}) is refused with INVALID_ARGUMENT.
 */
public record ChatSendPayload(EventKind kind, String text, String attachmentsJson, long messageId, String emoji,
                              long parentId, boolean alsoToChannel, List<String> mentions) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ChatSendPayload {
        mentions = List.copyOf(mentions);
    }

    public static ChatSendPayload parse(ByteString payload) {
        JsonNode node;
        try {
            node = JSON.readTree(payload.toByteArray());
        } catch (IOException e) {
            throw bad("a chat message payload must be JSON {\"text\": ...}");
        }
        if (node == null || !node.isObject()) {
            throw bad("a chat message payload must be a JSON object");
        }
        EventKind kind;
        try {
            kind = EventKind.of(string(node, "kind", EventKind.MESSAGE.wireName()));
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        JsonNode text = node.get("text");
        JsonNode attachments = node.get("attachments");
        if (text != null && !text.isNull() && !text.isTextual()) {
            throw bad("text must be a string");
        }
        long messageId = kind == EventKind.MESSAGE ? 0 : positive(node, "message_id");
        String emoji = kind == EventKind.REACTION_ADDED || kind == EventKind.REACTION_REMOVED
                ? string(node, "emoji", null) : null;
        if (emoji == null && (kind == EventKind.REACTION_ADDED || kind == EventKind.REACTION_REMOVED)) {
            throw bad("emoji is required");
        }
        if (kind == EventKind.EDIT && (text == null || text.isNull())) {
            throw bad("text is required");
        }
        List<String> mentions = new ArrayList<>();
        JsonNode m = node.get("mentions");
        if (m != null && !m.isNull()) {
            if (!m.isArray()) {
                throw bad("mentions must be an array of user ids");
            }
            m.forEach(id -> mentions.add(id.asText()));
        }
        JsonNode also = node.get("also_to_channel");
        ChatSendPayload p = new ChatSendPayload(kind, text == null || text.isNull() ? "" : text.asText(),
                attachments == null || attachments.isNull() ? null : attachments.toString(), messageId, emoji,
                node.hasNonNull("parent_id") ? positive(node, "parent_id") : 0, also != null && also.asBoolean(),
                mentions);
        // Refused here, before the message-service is asked, with the words it would answer.
        String unstorable = StorableText.problem("text", p.text());
        if (unstorable == null) {
            unstorable = StorableText.problem("attachments", p.attachmentsJson());
        }
        if (unstorable == null) {
            unstorable = StorableText.problem("emoji", p.emoji());
        }
        if (unstorable != null) {
            throw new ChatBackendException(ErrorCode.INVALID_ARGUMENT, unstorable);
        }
        return p;
    }

    /** The REST send body of a new message. */
    public String toRestBody(String clientMsgId) {
        ObjectNode body = JSON.createObjectNode().put("text", text);
        if (clientMsgId != null && !clientMsgId.isEmpty()) {
            body.put("client_msg_id", clientMsgId);
        }
        if (attachmentsJson != null) {
            try {
                body.set("attachments", JSON.readTree(attachmentsJson));
            } catch (IOException e) {
                throw bad("attachments must be JSON");
            }
        }
        if (parentId != 0) {
            body.put("parent_id", parentId);
            body.put("also_to_channel", alsoToChannel);
        }
        if (!mentions.isEmpty()) {
            mentions.forEach(body.putArray("mentions")::add);
        }
        return body.toString();
    }

    /** The REST call of this payload on {@code channelId}: method, path (with query) and body (null: none). */
    public RestCall toRestCall(long channelId, String clientMsgId) {
        String messages = "/v1/channels/" + channelId + "/messages";
        String key = clientMsgId == null || clientMsgId.isEmpty() ? ""
                : "?client_msg_id=" + URLEncoder.encode(clientMsgId, StandardCharsets.UTF_8);
        return switch (kind) {
            case MESSAGE -> new RestCall("POST", messages, toRestBody(clientMsgId));
            case EDIT -> {
                ObjectNode b = JSON.createObjectNode().put("text", text);
                if (!key.isEmpty()) {
                    b.put("client_msg_id", clientMsgId);
                }
                yield new RestCall("PATCH", messages + "/" + messageId, b.toString());
            }
            case DELETE -> new RestCall("DELETE", messages + "/" + messageId + key, null);
            case REACTION_ADDED, REACTION_REMOVED -> new RestCall(kind == EventKind.REACTION_ADDED ? "PUT" : "DELETE",
                    messages + "/" + messageId + "/reactions/"
                            + URLEncoder.encode(emoji, StandardCharsets.UTF_8).replace("+", "%20") + key, null);
        };
    }

    /** One REST request. */
    public record RestCall(String method, String path, String body) {
    }

    private static String string(JsonNode node, String field, String absent) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isTextual()) {
            throw bad(field + " must be a string");
        }
        return v.asText();
    }

    private static long positive(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() <= 0) {
            throw bad(field + " must be a message id");
        }
        return v.asLong();
    }

    private static ChatBackendException bad(String message) {
        return new ChatBackendException(ErrorCode.BAD_REQUEST, message);
    }
}
