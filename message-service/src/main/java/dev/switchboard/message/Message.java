package dev.switchboard.message;

import dev.switchboard.wire.chat.ChatMessage;
import java.time.Instant;

/**
 * A committed message. {@code attachments} is the JSON array the sender gave
 * (metadata only: names, types, sizes, URLs), or null; {@code clientMsgId} the
 * sender's idempotency key, or null.
 */
public record Message(long id, long channelId, long seq, String sender, String text,
                      String attachments, String clientMsgId, Instant createdAt) {

    /** The message as readers get it: its publication, payload and REST object are defined there. */
    public ChatMessage toWire() {
        return new ChatMessage(id, channelId, seq, sender, text, attachments, clientMsgId, createdAt);
    }
}
