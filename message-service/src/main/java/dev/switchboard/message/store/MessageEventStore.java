package dev.switchboard.message.store;

import dev.switchboard.message.ChatException;
import dev.switchboard.message.HistoryPage;
import dev.switchboard.message.SendResult;
import dev.switchboard.message.UserRef;
import dev.switchboard.wire.ErrorCode;

/**
 * Changes to sent messages, each an entry of the channel's log (ADR 0013): it
 * takes the channel's next sequence in the transaction that makes the change, and
 * {@code listener} hears of it like of a send (persist, then deliver, in sequence
 * order). Results carry the message as it is after the change and the event;
 * {@code duplicate} is true when nothing new was stored: a retried {@code clientId},
 * a reaction that was already there (or already gone), a delete of a deleted
 * message.
 *
 * <p>Rules: the caller must be a member (404 for another organisation's channel,
 * 403 for a non-member); only the author edits or deletes (403); the message
 * must be in the channel (404) and, for an edit or a reaction, not deleted (409).
 * Blocking; callers run it off the event loops.
 */
public interface MessageEventStore {

    /** Whether this store keeps message events at all. */
    default boolean supported() {
        return true;
    }

    /** Replaces the text of the caller's message (the caller validated it). */
    SendResult edit(UserRef actor, long channelId, long messageId, String text, String clientId,
                    SequenceListener listener);

    /** Leaves a tombstone: no text, attachments, reactions or mentions; its media no longer shared with the channel. */
    SendResult delete(UserRef actor, long channelId, long messageId, String clientId, SequenceListener listener);

    /** Adds ({@code add}) or removes the caller's reaction {@code emoji} (the caller validated it). */
    SendResult react(UserRef actor, long channelId, long messageId, String emoji, boolean add, String clientId,
                     SequenceListener listener);

    /** Up to {@code limit} (capped) replies of thread {@code rootId} after {@code afterSeq}, oldest first. */
    HistoryPage replies(UserRef reader, long channelId, long rootId, long afterSeq, int limit);

    /**
     * A store whose messages live where events are not implemented (Cassandra): every call fails with
     * {@code BAD_REQUEST} naming the reason, and {@link #supported()} is false.
     */
    static MessageEventStore unsupported(String why) {
        return new MessageEventStore() {
            @Override
            public boolean supported() {
                return false;
            }

            private ChatException refuse() {
                return new ChatException(ErrorCode.BAD_REQUEST, "UNSUPPORTED: " + why);
            }

            @Override
            public SendResult edit(UserRef a, long ch, long m, String t, String k, SequenceListener l) {
                throw refuse();
            }

            @Override
            public SendResult delete(UserRef a, long ch, long m, String k, SequenceListener l) {
                throw refuse();
            }

            @Override
            public SendResult react(UserRef a, long ch, long m, String e, boolean add, String k, SequenceListener l) {
                throw refuse();
            }

            @Override
            public HistoryPage replies(UserRef r, long ch, long root, long after, int limit) {
                throw refuse();
            }
        };
    }
}
