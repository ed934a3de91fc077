package dev.switchboard.message.store;

import dev.switchboard.message.Channel;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.HistoryPage;
import dev.switchboard.message.Message;
import dev.switchboard.message.SendResult;
import dev.switchboard.message.UserRef;
import dev.switchboard.wire.chat.ChatEvent;
import dev.switchboard.wire.chat.EventKind;
import dev.switchboard.wire.chat.MessageState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Message events in the relational database. Like a send, a change takes the
 * channel's next sequence with the channel row's {@code UPDATE} (which orders it
 * against every other entry of the channel), then reads and checks the message
 * under that lock, changes it, records the event and commits. A change that
 * changes nothing rolls back, so it takes no sequence and publishes nothing.
 * A commit that fails with the connection is decided by {@link CommitOutcome}
 * (its event row looked up), as a send's is.
 */
public final class JdbcEventStore implements MessageEventStore {
    private static final String ADD_REACTION = "INSERT INTO reactions (channel_id, message_id, emoji, user_id, seq)"
            + " SELECT ?, ?, ?, ?, ? FROM (SELECT 1 AS one) x WHERE NOT EXISTS (SELECT 1 FROM reactions"
            + " WHERE channel_id = ? AND message_id = ? AND emoji = ? AND user_id = ?)";
    private static final String REMOVE_REACTION =
            "DELETE FROM reactions WHERE channel_id = ? AND message_id = ? AND emoji = ? AND user_id = ?";
    private static final String INSERT_EVENT = "INSERT INTO message_events (channel_id, seq, kind, message_id, actor,"
            + " emoji, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final Database db;
    private final Clock clock;
    private final int maxPage;
    private final CommitOutcome outcomes;

    public JdbcEventStore(Database db, Clock clock, int maxPage) {
        this(db, clock, maxPage, CommitOutcome.DEFAULT_DEADLINE);
    }

    /** {@code outcomeDeadline}: how long a change whose commit failed with the connection asks whether it was stored. */
    public JdbcEventStore(Database db, Clock clock, int maxPage, java.time.Duration outcomeDeadline) {
        this.db = db;
        this.clock = clock;
        this.maxPage = maxPage;
        this.outcomes = new CommitOutcome(db, outcomeDeadline);
    }

    /**
     * What an event does to its message under the channel's lock, at sequence {@code seq}: the message's row
     * as it is after the change (built in memory, not read back), or null when it changes nothing.
     */
    @FunctionalInterface
    private interface Change {
        Message apply(Connection c, Message current, long seq, Instant now) throws SQLException;
    }

    @Override
    public SendResult edit(UserRef actor, long channelId, long messageId, String text, String clientId,
                           SequenceListener listener) {
        return change(actor, channelId, messageId, EventKind.EDIT, null, clientId, listener, (c, m, seq, now) -> {
            EventRules.requireAuthor(actor, m, "edit");
            EventRules.requireNotDeleted(m);
            if (text.isBlank() && m.attachments() == null) {
                throw ChatException.badRequest("a message needs text or attachments");
            }
            update(c, "UPDATE messages SET text = ?, edited_at = ? WHERE channel_id = ? AND id = ?", text, now, m);
            return row(m, text, m.attachments(), now, m.state().deletedAt());
        });
    }

    @Override
    public SendResult delete(UserRef actor, long channelId, long messageId, String clientId,
                             SequenceListener listener) {
        return change(actor, channelId, messageId, EventKind.DELETE, null, clientId, listener, (c, m, seq, now) -> {
            EventRules.requireAuthor(actor, m, "delete");
            if (m.state().deleted()) {
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE messages SET text = '', attachments = NULL,"
                    + " deleted_at = ? WHERE channel_id = ? AND id = ?")) {
                Rows.setInstant(ps, 1, now);
                ps.setLong(2, m.channelId());
                ps.setLong(3, m.id());
                ps.executeUpdate();
            }
            // The tombstone keeps nothing of the message: its reactions and mentions go, and its media
            // are no longer the channel's to download (the uploader keeps access to their own upload).
            for (String sql : List.of("DELETE FROM reactions WHERE channel_id = ? AND message_id = ?",
                    "DELETE FROM mentions WHERE channel_id = ? AND message_id = ?",
                    "UPDATE media SET channel_id = NULL WHERE channel_id = ? AND message_id = ?")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, m.channelId());
                    ps.setLong(2, m.id());
                    ps.executeUpdate();
                }
            }
            return row(m, "", null, m.state().editedAt(), now);
        });
    }

    @Override
    public SendResult react(UserRef actor, long channelId, long messageId, String emoji, boolean add,
                            String clientId, SequenceListener listener) {
        EventKind kind = add ? EventKind.REACTION_ADDED : EventKind.REACTION_REMOVED;
        return change(actor, channelId, messageId, kind, emoji, clientId, listener, (c, m, seq, now) -> {
            EventRules.requireNotDeleted(m);
            if (add) {
                requireRoomForEmoji(c, m, emoji);
            }
            // The check and the write in one statement (the channel's row lock orders them against other
            // changes): adding twice is one reaction, removing one that is not there does nothing.
            try (PreparedStatement ps = c.prepareStatement(add ? ADD_REACTION : REMOVE_REACTION)) {
                bindReaction(ps, m, emoji, actor);
                if (add) {
                    ps.setLong(5, seq);
                    bindReaction(ps, 5, m, emoji, actor);
                }
                return ps.executeUpdate() == 0 ? null : m; // the message's own row is unchanged
            }
        });
    }

    @Override
    public HistoryPage replies(UserRef reader, long channelId, long rootId, long afterSeq, int limit) {
        if (afterSeq < 0) {
            throw ChatException.badRequest("after must be >= 0");
        }
        int n = MessagePages.size(limit, maxPage);
        return db.inTransaction(c -> {
            Access.member(c, reader, channelId);
            EventLog.message(c, channelId, rootId);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.MESSAGE_COLUMNS + " FROM messages"
                    + " WHERE channel_id = ? AND parent_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, channelId);
                ps.setLong(2, rootId);
                ps.setLong(3, afterSeq);
                ps.setInt(4, n + 1);
                return MessagePages.read(c, channelId, ps, n);
            }
        });
    }

    private SendResult change(UserRef actor, long channelId, long messageId, EventKind kind, String emoji,
                              String clientId, SequenceListener listener, Change change) {
        // Two rounds at most, as for sends: a concurrent retry with the same key can win the insert.
        for (int attempt = 0; ; attempt++) {
            try {
                return tryChange(actor, channelId, messageId, kind, emoji, clientId, listener, change);
            } catch (SQLException e) {
                if (attempt == 0 && clientId != null && SqlErrors.isUniqueViolation(e)) {
                    continue;
                }
                throw SqlErrors.translate(e);
            }
        }
    }

    private SendResult tryChange(UserRef actor, long channelId, long messageId, EventKind kind, String emoji,
                                 String clientId, SequenceListener listener, Change change) throws SQLException {
        SequenceListener.Ticket ticket = null;
        Message stored = null;
        try (Connection c = db.connection()) {
            try {
                Channel channel = Access.member(c, actor, channelId).channel();
                if (clientId != null) {
                    Optional<ChatEvent> earlier = byClientId(c, channelId, actor.userId(), clientId);
                    if (earlier.isPresent()) {
                        Message current = MessageStates.load(c, EventLog.message(c, channelId,
                                earlierMessage(c, channelId, earlier.get().seq())));
                        c.commit();
                        return new SendResult(current.with(current.state(), earlier.get()), true);
                    }
                }
                long seq = ChannelSequence.next(c, db.dialect(), channelId);
                Message current = EventLog.message(c, channelId, messageId);
                Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                Message changed = change.apply(c, current, seq, now);
                if (changed == null) {
                    Message unchanged = MessageStates.load(c, current);
                    c.rollback(); // gives the sequence back
                    return new SendResult(unchanged, true);
                }
                ticket = listener.sequenced(channel, seq);
                ChatEvent event = new ChatEvent(kind, seq, actor.userId(), emoji, clientId, now);
                insertEvent(c, channelId, messageId, event);
                Message after = MessageStates.load(c, changed);
                stored = outcomes.commitEvent(c, after.with(after.state(), event));
                return new SendResult(stored, false);
            } catch (SQLException | RuntimeException e) {
                Database.rollbackQuietly(c, e);
                throw e;
            }
        } finally {
            SequenceListener.Ticket.settle(ticket, stored);
        }
    }

    private static void update(Connection c, String sql, String text, Instant now, Message m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, text);
            Rows.setInstant(ps, 2, now);
            ps.setLong(3, m.channelId());
            ps.setLong(4, m.id());
            ps.executeUpdate();
        }
    }

    /** {@link EventRules#requireRoomForEmoji} from the message's reaction rows (under the channel's row lock). */
    private static void requireRoomForEmoji(Connection c, Message m, String emoji) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(DISTINCT emoji),"
                + " COUNT(CASE WHEN emoji = ? THEN 1 END) FROM reactions WHERE channel_id = ? AND message_id = ?")) {
            ps.setString(1, emoji);
            ps.setLong(2, m.channelId());
            ps.setLong(3, m.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                EventRules.requireRoomForEmoji(m.id(), rs.getInt(1), rs.getLong(2) > 0);
            }
        }
    }

    private static void bindReaction(PreparedStatement ps, Message m, String emoji, UserRef actor)
            throws SQLException {
        bindReaction(ps, 0, m, emoji, actor);
    }

    /** Binds channel, message, emoji and user at parameters {@code after + 1} to {@code after + 4}. */
    private static void bindReaction(PreparedStatement ps, int after, Message m, String emoji, UserRef actor)
            throws SQLException {
        ps.setLong(after + 1, m.channelId());
        ps.setLong(after + 2, m.id());
        ps.setString(after + 3, emoji);
        ps.setString(after + 4, actor.userId());
    }

    /** {@code m}'s row with new text, attachments and times: what the change's UPDATE wrote. */
    private static Message row(Message m, String text, String attachments, Instant editedAt, Instant deletedAt) {
        MessageState s = m.state();
        MessageState state = new MessageState(editedAt, deletedAt, List.of(), s.parentId(), s.alsoToChannel(),
                null, null, List.of());
        return new Message(m.id(), m.channelId(), m.seq(), m.sender(), text, attachments, m.clientMsgId(),
                m.createdAt(), state.equals(MessageState.NONE) ? MessageState.NONE : state, null);
    }

    private static void insertEvent(Connection c, long channelId, long messageId, ChatEvent e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            ps.setLong(1, channelId);
            ps.setLong(2, e.seq());
            ps.setString(3, e.kind().name());
            ps.setLong(4, messageId);
            ps.setString(5, e.actor());
            ps.setString(6, e.emoji());
            ps.setString(7, e.clientId());
            Rows.setInstant(ps, 8, e.at());
            ps.executeUpdate();
        }
    }

    private static Optional<ChatEvent> byClientId(Connection c, long channelId, String actor, String clientId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, kind, emoji, created_at FROM message_events"
                + " WHERE channel_id = ? AND actor = ? AND client_id = ?")) {
            ps.setLong(1, channelId);
            ps.setString(2, actor);
            ps.setString(3, clientId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new ChatEvent(EventKind.valueOf(rs.getString(2)), rs.getLong(1), actor,
                        rs.getString(3), clientId, Rows.instant(rs, 4))) : Optional.empty();
            }
        }
    }

    private static long earlierMessage(Connection c, long channelId, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT message_id FROM message_events WHERE channel_id = ? AND seq = ?")) {
            ps.setLong(1, channelId);
            ps.setLong(2, seq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
