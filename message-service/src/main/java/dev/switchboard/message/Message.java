package dev.switchboard.message;

import java.time.Instant;

/**
 * A committed message. {@code attachments} is the JSON array the sender gave
 * (metadata only: names, types, sizes, URLs), or null; {@code clientMsgId} the
 * sender's idempotency key, or null.
 */
public record Message(long id, long channelId, long seq, String sender, String text,
                      String attachments, String clientMsgId, Instant createdAt) {
}
