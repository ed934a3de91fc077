package dev.switchboard.client;

import java.util.List;

/** What the server pushes about a channel besides its publications. */
public sealed interface ChannelEvent {
    String channel();

    /** Members of the channel came online or went offline (coalesced by the server). */
    record Presence(String channel, List<Change> changes) implements ChannelEvent {
        public record Change(String userId, boolean online) {
        }
    }

    record Typing(String channel, String userId) implements ChannelEvent {
    }

    /** A member's read checkpoint moved (the reader's own other devices get it too). */
    record ReadReceipt(String channel, String userId, long seq) implements ChannelEvent {
    }

    /** The server subscribed this session to the channel (joined a channel, a new DM); publications follow. */
    record Subscribed(String channel, long lastSeq) implements ChannelEvent {
    }

    /** The server removed the subscription; {@code code} is the error code saying why (103: left or removed). */
    record Unsubscribed(String channel, int code) implements ChannelEvent {
    }

    /**
     * The server said publications of the channel may have been lost (it lost its
     * broker for a while); the client is reading history after its last sequence
     * already. For information only (e.g. a "syncing" hint).
     */
    record MayHaveMissed(String channel, String reason) implements ChannelEvent {
    }

    /** Publications the client could not get back (too much held back behind a gap); rare. */
    record Skipped(String channel, long fromSeq, long toSeq) implements ChannelEvent {
    }
}
