package dev.switchboard.message.store;

import dev.switchboard.message.HistoryPage;
import dev.switchboard.message.NewMessage;
import dev.switchboard.message.SendResult;
import dev.switchboard.message.UserRef;

/**
 * Durable messages with a per-channel sequence: the one seam between the chat
 * service and where messages live ({@link JdbcMessageStore} in PostgreSQL or
 * H2, {@code CassandraMessageStore} in Apache Cassandra). Every implementation
 * passes the same contract tests ({@code ChatStoreContract}) and keeps:
 *
 * <ul>
 *   <li>gap-free sequences per channel (1, 2, 3, ...), in the order the sends became durable;</li>
 *   <li>persist, then deliver: {@code listener} hears of a sequence in sequence order and settles
 *       its ticket committed only once the message is durable, abandoned otherwise (also when the
 *       outcome is unknown);</li>
 *   <li>idempotent sends: a {@code client_msg_id} that the sender already used in the channel
 *       stores nothing and answers with the stored message, also after a timeout whose outcome
 *       was unknown;</li>
 *   <li>exact outcomes: a write whose outcome is unknown (the database failed during the
 *       commit) is decided before the send answers: stored means success (and it is
 *       published in order), not stored means {@code UNAVAILABLE}; when it cannot be decided
 *       in time, {@code COMMIT_OUTCOME_UNKNOWN}, never a blind "not stored";</li>
 *   <li>the sender's read checkpoint follows their own message.</li>
 * </ul>
 *
 * Blocking; callers run it off the event loops.
 */
public interface MessageStore {
    int DEFAULT_MAX_PAGE = 200;

    /** The most messages one page returns, whatever limit is asked for. */
    int maxPage();

    /**
     * Why the store's own message backend (beyond the relational database) cannot serve
     * now, or null; answers at once without a request, so health checks may call it on
     * an event loop.
     */
    default String backendUnavailable() {
        return null;
    }

    /**
     * Stores a message from a member. A send whose client_msg_id this sender
     * already used in the channel stores nothing and returns the stored message
     * with {@code duplicate = true}; {@code listener} hears only of new ones.
     */
    SendResult send(UserRef sender, long channelId, NewMessage m, SequenceListener listener);

    /** Up to {@code limit} (capped) messages with sequence below {@code beforeSeq} (0: from the newest), newest first. */
    HistoryPage before(UserRef reader, long channelId, long beforeSeq, int limit);

    /** Up to {@code limit} (capped) messages with sequence above {@code afterSeq}, oldest first (catch-up). */
    HistoryPage after(UserRef reader, long channelId, long afterSeq, int limit);
}
