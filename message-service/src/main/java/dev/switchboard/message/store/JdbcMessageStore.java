package dev.switchboard.message.store;

import dev.switchboard.message.Channel;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.HistoryPage;
import dev.switchboard.message.Message;
import dev.switchboard.message.NewMessage;
import dev.switchboard.message.SendResult;
import dev.switchboard.message.UserRef;
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
 * Durable messages in the relational database. A send takes the channel's next sequence number with an
 * {@code UPDATE ... last_seq + 1} and inserts the message in the same
 * transaction: the row lock orders concurrent sends of a channel, so sequences
 * are gap-free and increase in commit order, and a rollback gives its number
 * back. Blocking; see {@link Database}.
 */
public final class JdbcMessageStore implements MessageStore {
    private static final String INSERT = "INSERT INTO messages (channel_id, seq, sender, text, attachments,"
            + " client_msg_id, created_at, parent_id, also_to_channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String BY_CLIENT_ID = "SELECT " + Rows.MESSAGE_COLUMNS
            + " FROM messages WHERE channel_id = ? AND sender = ? AND client_msg_id = ?";
    // Names the channel, so PostgreSQL prunes to one partition and walks (channel_id, seq). Thread
    // replies stay in their thread unless also sent to the channel.
    private static final String BEFORE = "SELECT " + Rows.MESSAGE_COLUMNS
            + " FROM messages WHERE channel_id = ? AND seq < ? AND (parent_id IS NULL OR also_to_channel = TRUE)"
            + " ORDER BY seq DESC LIMIT ?";

    private final Database db;
    private final Clock clock;
    private final int maxPage;
    private final CommitOutcome outcomes;

    public JdbcMessageStore(Database db, Clock clock, int maxPage) {
        this(db, clock, maxPage, CommitOutcome.DEFAULT_DEADLINE);
    }

    /** {@code outcomeDeadline}: how long a send whose commit failed with the connection asks whether it was stored. */
    public JdbcMessageStore(Database db, Clock clock, int maxPage, java.time.Duration outcomeDeadline) {
        if (maxPage < 1) {
            throw new IllegalArgumentException("maxPage must be positive");
        }
        this.db = db;
        this.clock = clock;
        this.maxPage = maxPage;
        this.outcomes = new CommitOutcome(db, outcomeDeadline);
    }

    @Override
    public int maxPage() {
        return maxPage;
    }

    @Override
    public SendResult send(UserRef sender, long channelId, NewMessage m, SequenceListener listener) {
        // Two rounds at most: a concurrent retry with the same key can win the
        // insert; the loser rolls back (returning its sequence) and reads the winner's row.
        for (int attempt = 0; ; attempt++) {
            try {
                return trySend(sender, channelId, m, listener);
            } catch (SQLException e) {
                // PostgreSQL names the partition's index, not the parent's constraint, in the
                // error: any unique violation of a keyed send is taken as the retry race.
                if (attempt == 0 && m.clientMsgId() != null && SqlErrors.isUniqueViolation(e)) {
                    continue;
                }
                throw SqlErrors.translate(e);
            }
        }
    }

    private SendResult trySend(UserRef sender, long channelId, NewMessage m, SequenceListener listener)
            throws SQLException {
        SequenceListener.Ticket ticket = null;
        Message stored = null;
        try (Connection c = db.connection()) {
            try {
                Channel channel = Access.member(c, sender, channelId).channel();
                if (m.clientMsgId() != null) {
                    Optional<Message> earlier = byClientId(c, channelId, sender.userId(), m.clientMsgId());
                    if (earlier.isPresent()) {
                        Message current = MessageStates.load(c, earlier.get());
                        c.commit();
                        return new SendResult(current, true);
                    }
                }
                if (m.parentId() != 0) {
                    EventLog.threadRoot(c, channelId, m.parentId());
                }
                // Media checks before taking a sequence, so a refused send holds the channel's row lock for less.
                MediaStore.Resolved attachments = MediaStore.resolve(c, sender, m.attachments());
                long seq = ChannelSequence.next(c, db.dialect(), channelId);
                ticket = listener.sequenced(channel, seq);
                Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                Message message = insert(c, channelId, seq, sender.userId(), m, attachments.json(), now);
                MediaStore.link(c, attachments.mediaIds(), channelId, message.id());
                EventLog.insertMentions(c, message, m.mentions());
                if (m.parentId() != 0 || !m.mentions().isEmpty()) {
                    message = MessageStates.load(c, message);
                }
                // Your own message is not unread: the sender's checkpoint follows it.
                advanceReadCheckpoint(c, channelId, sender.userId(), seq);
                Affinity.act(c, channelId, sender.userId(), now);
                stored = outcomes.commitSend(c, message);
                return new SendResult(message, false);
            } catch (SQLException | RuntimeException e) {
                Database.rollbackQuietly(c, e);
                throw e;
            }
        } finally {
            SequenceListener.Ticket.settle(ticket, stored);
        }
    }

    @Override
    public HistoryPage before(UserRef reader, long channelId, long beforeSeq, int limit) {
        if (beforeSeq < 0) {
            throw ChatException.badRequest("before must be >= 0");
        }
        return page(reader, channelId, BEFORE, beforeSeq == 0 ? Long.MAX_VALUE : beforeSeq, limit);
    }

    /** The channel's log after {@code afterSeq}: messages and the events that changed them (ADR 0013). */
    @Override
    public HistoryPage after(UserRef reader, long channelId, long afterSeq, int limit) {
        if (afterSeq < 0) {
            throw ChatException.badRequest("after must be >= 0");
        }
        int n = MessagePages.size(limit, maxPage);
        return db.inTransaction(c -> {
            Access.member(c, reader, channelId);
            return EventLog.after(c, channelId, afterSeq, n);
        });
    }

    private HistoryPage page(UserRef reader, long channelId, String sql, long cursor, int limit) {
        int n = MessagePages.size(limit, maxPage);
        return db.inTransaction(c -> {
            Access.member(c, reader, channelId);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, channelId);
                ps.setLong(2, cursor);
                ps.setInt(3, n + 1);
                return MessagePages.read(c, channelId, ps, n);
            }
        });
    }

    private static Message insert(Connection c, long channelId, long seq, String sender, NewMessage m,
                                  String attachments, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT, new String[] {"id"})) {
            ps.setLong(1, channelId);
            ps.setLong(2, seq);
            ps.setString(3, sender);
            ps.setString(4, m.text());
            ps.setString(5, attachments);
            ps.setString(6, m.clientMsgId());
            Rows.setInstant(ps, 7, now);
            if (m.parentId() == 0) {
                ps.setNull(8, java.sql.Types.BIGINT);
            } else {
                ps.setLong(8, m.parentId());
            }
            ps.setBoolean(9, m.alsoToChannel());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                Message plain = new Message(keys.getLong(1), channelId, seq, sender, m.text(), attachments,
                        m.clientMsgId(), now);
                return m.parentId() == 0 ? plain : plain.with(new dev.switchboard.wire.chat.MessageState(null, null,
                        List.of(), m.parentId(), m.alsoToChannel(), null, null, List.of()), null);
            }
        }
    }

    private static Optional<Message> byClientId(Connection c, long channelId, String sender, String clientMsgId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(BY_CLIENT_ID)) {
            ps.setLong(1, channelId);
            ps.setString(2, sender);
            ps.setString(3, clientMsgId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Rows.message(rs)) : Optional.empty();
            }
        }
    }

    private static void advanceReadCheckpoint(Connection c, long channelId, String userId, long seq)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE memberships SET last_read_seq = ?"
                + " WHERE channel_id = ? AND user_id = ? AND last_read_seq < ?")) {
            ps.setLong(1, seq);
            ps.setLong(2, channelId);
            ps.setString(3, userId);
            ps.setLong(4, seq);
            ps.executeUpdate();
        }
    }
}
