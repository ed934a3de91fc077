package dev.switchboard.message;

import java.time.Instant;

/** One user's membership of one channel, with that user's own settings and read checkpoint. */
public record Membership(long channelId, String userId, Instant joinedAt,
                         boolean muted, boolean notifyAlways, boolean starred, long lastReadSeq) {
}
