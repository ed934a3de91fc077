package dev.switchboard.message.store;

import dev.switchboard.message.ChatException;
import dev.switchboard.message.Message;
import dev.switchboard.wire.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides a send whose commit failed with the connection (PostgreSQL shutting
 * down, 57P01; a connection lost, 08xxx): the transaction may or may not have
 * become durable before the failure reached us, so neither "stored" nor "not
 * stored" may be answered blindly. The message's row is looked up by its channel
 * and id (the id the insert was given, never reused, so the row is this send's
 * and nobody else's; the lookup needs no client_msg_id) on a fresh connection,
 * retried until {@code deadline}:
 *
 * <ul>
 *   <li>found: the send succeeded; it is acknowledged (201) and published in order;</li>
 *   <li>absent: nothing was written; 503 {@code UNAVAILABLE} (retry later);</li>
 *   <li>no answer before the deadline: 503 {@code COMMIT_OUTCOME_UNKNOWN}, "retry with
 *       the same client_msg_id", which stores the message at most once. Nothing is
 *       published; if it was stored, members read it from history.</li>
 * </ul>
 *
 * The Cassandra store decides its unknown writes its own way (a serial read) and
 * answers the same codes. Blocking, on the caller's database worker.
 */
final class CommitOutcome {
    private static final Logger log = LoggerFactory.getLogger(CommitOutcome.class);
    private static final String BY_ID = "SELECT 1 FROM messages WHERE channel_id = ? AND id = ?";
    private static final long FIRST_PAUSE_MS = 100;
    private static final long MAX_PAUSE_MS = 1_000;

    /** How long a send whose commit failed keeps asking before it answers COMMIT_OUTCOME_UNKNOWN. */
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);

    private final Database db;
    private final Duration deadline;

    CommitOutcome(Database db, Duration deadline) {
        this.db = db;
        this.deadline = deadline;
    }

    /** Whether a failed commit may still have been durable: the connection, not the transaction, failed. */
    static boolean outcomeUnknown(SQLException e) {
        return SqlErrors.isUnavailable(e);
    }

    /** {@code sent} if the send's commit took effect; throws UNAVAILABLE if not, COMMIT_OUTCOME_UNKNOWN if it cannot tell. */
    Message decide(Message sent, SQLException commitFailure) {
        long end = System.nanoTime() + deadline.toNanos();
        long pause = FIRST_PAUSE_MS;
        SQLException last = commitFailure;
        while (true) {
            try {
                if (isStored(sent)) {
                    log.warn("commit of message {} (channel {}, seq {}) failed ({}) but it was stored: acknowledged",
                            sent.id(), sent.channelId(), sent.seq(), commitFailure.getSQLState());
                    return sent;
                }
                log.info("commit of message {} (channel {}, seq {}) failed ({}) and it was not stored", sent.id(),
                        sent.channelId(), sent.seq(), commitFailure.getSQLState());
                throw new ChatException(ErrorCode.UNAVAILABLE, "database unavailable; the message was not stored", commitFailure);
            } catch (SQLException e) {
                last = e;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                log.warn("commit of message {} (channel {}, seq {}) failed ({}) and the database could not be asked"
                        + " within {} whether it was stored", sent.id(), sent.channelId(), sent.seq(),
                        commitFailure.getSQLState(), deadline);
                commitFailure.addSuppressed(last);
                throw ChatException.outcomeUnknown("the database failed while storing the message and could not be"
                        + " asked whether it was stored; retry with the same client_msg_id", commitFailure);
            }
            try {
                // A back-off between lookups, on the caller's database worker (never an event loop): the
                // database gives no signal when it is back, so asking again after a pause is the only way.
                Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ChatException.outcomeUnknown("interrupted while learning whether the message was stored;"
                        + " retry with the same client_msg_id", commitFailure);
            }
            pause = Math.min(MAX_PAUSE_MS, pause * 2);
        }
    }

    private boolean isStored(Message sent) throws SQLException {
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement(BY_ID)) {
                ps.setLong(1, sent.channelId());
                ps.setLong(2, sent.id());
                try (ResultSet rs = ps.executeQuery()) {
                    boolean found = rs.next();
                    c.commit();
                    return found;
                }
            }
        }
    }
}
