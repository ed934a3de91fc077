package dev.switchboard.edge.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.switchboard.edge.session.ChatBackendException;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.StorableText;
import java.io.IOException;

/**
 * The payload of a WebSocket {@code publish} to a chat channel: the same JSON as
 * the REST send body, {@code {"text": "...", "attachments": [...]}} (attachments
 * optional). The client message id travels in the Publish frame itself. Text that
 * cannot be stored as sent ({@link StorableText}) is refused with INVALID_ARGUMENT.
 */
public record ChatSendPayload(String text, String attachmentsJson) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ChatSendPayload parse(ByteString payload) {
        JsonNode node;
        try {
            node = JSON.readTree(payload.toByteArray());
        } catch (IOException e) {
            throw new ChatBackendException(ErrorCode.BAD_REQUEST, "a chat message payload must be JSON {\"text\": ...}");
        }
        if (node == null || !node.isObject()) {
            throw new ChatBackendException(ErrorCode.BAD_REQUEST, "a chat message payload must be a JSON object");
        }
        JsonNode text = node.get("text");
        JsonNode attachments = node.get("attachments");
        if (text != null && !text.isTextual()) {
            throw new ChatBackendException(ErrorCode.BAD_REQUEST, "text must be a string");
        }
        ChatSendPayload p = new ChatSendPayload(text == null ? "" : text.asText(),
                attachments == null || attachments.isNull() ? null : attachments.toString());
        // Refused here, before the message-service is asked, with the words it would answer.
        String unstorable = StorableText.problem("text", p.text());
        if (unstorable == null) {
            unstorable = StorableText.problem("attachments", p.attachmentsJson());
        }
        if (unstorable != null) {
            throw new ChatBackendException(ErrorCode.INVALID_ARGUMENT, unstorable);
        }
        return p;
    }

    /** The REST send body for this message. */
    public String toRestBody(String clientMsgId) {
        var body = JSON.createObjectNode().put("text", text);
        if (clientMsgId != null && !clientMsgId.isEmpty()) {
            body.put("client_msg_id", clientMsgId);
        }
        if (attachmentsJson != null) {
            try {
                body.set("attachments", JSON.readTree(attachmentsJson));
            } catch (IOException e) {
                throw new ChatBackendException(ErrorCode.BAD_REQUEST, "attachments must be JSON");
            }
        }
        return body.toString();
    }
}
