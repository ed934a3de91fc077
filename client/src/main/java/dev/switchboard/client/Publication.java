package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A message of a channel: live, replayed after a reconnect, or read from history.
 *
 * @param seq per-channel and gap-free on chat channels; 0 on ephemeral channels
 * @param senderId the sender's user id, or "" for a backend
 * @param payload opaque bytes; on chat channels UTF-8 JSON ({@code {"id","seq","text","sender","created_at","attachments"}})
 * @param messageId the durable message id (chat channels), else 0
 * @param clientMsgId the sender's idempotency key, so a sender can match its own echo
 */
public record Publication(String channel, long seq, String senderId, long timestampMs, byte[] payload,
                          long messageId, String clientMsgId) {
    /** Read-only after construction, so shared. */
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The payload as UTF-8 text. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** On a chat channel, the message's text (the payload's {@code "text"}); null when the payload is not a chat message. */
    public String chatText() {
        try {
            JsonNode text = JSON.readTree(payload).get("text");
            return text == null || !text.isTextual() ? null : text.asText();
        } catch (IOException notJson) {
            return null;
        }
    }
}
