package dev.switchboard.message.store;

import dev.switchboard.message.ChatException;
import dev.switchboard.message.Message;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.chat.ChatEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides a write whose commit failed with the connection (PostgreSQL shutting
 * down, 57P01; a connection lost, 08xxx): the transaction may or may not have
 * become durable before the failure reached us, so neither "stored" nor "not
 * stored" may be answered blindly. The write's row is looked up on a fresh
 * connection, retried until {@code deadline}, by what names this write and no
 * other: a send's message by its channel and id (an id the insert was given, never
 * reused; no client_msg_id needed); an edit, delete or reaction (ADR 0013) by its
 * event row, the channel, sequence, actor, kind, message and time it was given
 * (another write may take a sequence this one gave back, never with all of those):
 *
 * <ul>
 *   <li>found: the write succeeded; it is acknowledged and published in order;</li>
 *   <li>absent: nothing was written; 503 {@code UNAVAILABLE} (retry later);</li>
 *   <li>no answer before the deadline: 503 {@code COMMIT_OUTCOME_UNKNOWN}, "retry with
 *       the same client_msg_id", which stores it at most once. Nothing is
 *       published; if it was stored, members read it from the log.</li>
 * </ul>
 *
 * The Cassandra store decides its unknown writes its own way (a serial read) and
 * answers the same codes. Blocking, on the caller's database worker.
 */
final class CommitOutcome {
    private static final Logger log = LoggerFactory.getLogger(CommitOutcome.class);
    private static final String MESSAGE_BY_ID = "SELECT 1 FROM messages WHERE channel_id = ? AND id = ?";
    private static final String EVENT = "SELECT 1 FROM message_events WHERE channel_id = ? AND seq = ? AND actor = ?"
            + " AND kind = ? AND message_id = ? AND created_at = ?";
    private static final long FIRST_PAUSE_MS = 100;
    private static final long MAX_PAUSE_MS = 1_000;

    /** How long a write whose commit failed keeps asking before it answers COMMIT_OUTCOME_UNKNOWN. */
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

    /**
     * Commits the send that wrote {@code sent} and returns it; when the commit fails with the
     * connection its outcome is unknown, and {@link #decide} finds out instead of a blind 503.
     */
    Message commitSend(Connection c, Message sent) throws SQLException {
        return commit(c, sent, this::decide);
    }

    /** As {@link #commitSend}, for an edit, delete or reaction: {@code changed} carries its event ({@link #decideEvent}). */
    Message commitEvent(Connection c, Message changed) throws SQLException {
        return commit(c, changed, this::decideEvent);
    }

    private static Message commit(Connection c, Message written, BiFunction<Message, SQLException, Message> decision)
            throws SQLException {
        try {
            c.commit();
            return written;
        } catch (SQLException e) {
            if (!outcomeUnknown(e)) {
                throw e;
            }
            // The broken connection goes back (the pool evicts it) before the lookup takes another.
            try {
                c.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            return decision.apply(written, e);
        }
    }

    /** Whether the write's row is there, asked on a fresh connection. */
    @FunctionalInterface
    private interface Lookup {
        boolean found(Connection c) throws SQLException;
    }

    /** {@code sent} if the send's commit took effect; throws UNAVAILABLE if not, COMMIT_OUTCOME_UNKNOWN if it cannot tell. */
    Message decide(Message sent, SQLException commitFailure) {
        String what = "message " + sent.id() + " (channel " + sent.channelId() + ", seq " + sent.seq() + ")";
        return decide(sent, what, "the message", commitFailure, c -> {
            try (PreparedStatement ps = c.prepareStatement(MESSAGE_BY_ID)) {
                ps.setLong(1, sent.channelId());
                ps.setLong(2, sent.id());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /**
     * {@code changed} (the message after the change, with its {@code event}) if the change's commit took
     * effect; throws UNAVAILABLE if not, COMMIT_OUTCOME_UNKNOWN if it cannot tell.
     */
    Message decideEvent(Message changed, SQLException commitFailure) {
        ChatEvent e = changed.event();
        String what = e.kind().wireName() + " of message " + changed.id() + " (channel " + changed.channelId()
                + ", seq " + e.seq() + ")";
        return decide(changed, what, "the change", commitFailure, c -> {
            try (PreparedStatement ps = c.prepareStatement(EVENT)) {
                ps.setLong(1, changed.channelId());
                ps.setLong(2, e.seq());
                ps.setString(3, e.actor());
                ps.setString(4, e.kind().name());
                ps.setLong(5, changed.id());
                Rows.setInstant(ps, 6, e.at());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    private Message decide(Message written, String what, String noun, SQLException commitFailure, Lookup lookup) {
        long end = System.nanoTime() + deadline.toNanos();
        long pause = FIRST_PAUSE_MS;
        SQLException last = commitFailure;
        while (true) {
            try {
                if (isStored(lookup)) {
                    log.warn("commit of {} failed ({}) but it was stored: acknowledged", what, commitFailure.getSQLState());
                    return written;
                }
                log.info("commit of {} failed ({}) and it was not stored", what, commitFailure.getSQLState());
                throw new ChatException(ErrorCode.UNAVAILABLE, "database unavailable; " + noun + " was not stored",
                        commitFailure);
            } catch (SQLException e) {
                last = e;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                log.warn("commit of {} failed ({}) and the database could not be asked within {} whether it was stored",
                        what, commitFailure.getSQLState(), deadline);
                commitFailure.addSuppressed(last);
                throw ChatException.outcomeUnknown("the database failed while storing " + noun + " and could not be"
                        + " asked whether it was stored; retry with the same client_msg_id", commitFailure);
            }
            try {
                // A back-off between lookups, on the caller's database worker (never an event loop): the
                // database gives no signal when it is back, so asking again after a pause is the only way.
                Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ChatException.outcomeUnknown("interrupted while learning whether " + noun + " was stored;"
                        + " retry with the same client_msg_id", commitFailure);
            }
            pause = Math.min(MAX_PAUSE_MS, pause * 2);
        }
    }

    private boolean isStored(Lookup lookup) throws SQLException {
        try (Connection c = db.connection()) {
            boolean found = lookup.found(c);
            c.commit();
            return found;
        }
    }
}
