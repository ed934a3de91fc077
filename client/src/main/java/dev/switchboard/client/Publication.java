package dev.switchboard.client;

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
    /** The payload as UTF-8 text. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
