package dev.switchboard.message.store;

import dev.switchboard.message.Channel;
import dev.switchboard.message.ChannelSummary;
import dev.switchboard.message.ChannelType;
import dev.switchboard.message.Membership;
import dev.switchboard.message.Message;
import dev.switchboard.message.User;
import dev.switchboard.wire.chat.MessageState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Column lists and row mappers shared by the stores, so each SELECT and its mapper agree. */
final class Rows {
    static final String USER_COLUMNS = "org, id, name, email, handle, created_at";
    static final String CHANNEL_COLUMNS = "c.id, c.org, c.name, c.type, c.last_seq, c.created_at";
    static final String MEMBERSHIP_COLUMNS =
            "m.channel_id, m.user_id, m.joined_at, m.muted, m.notify_always, m.starred, m.last_read_seq";
    // New messages only (ADR 0013): not edits or reactions, not mine, not deleted, not replies kept in their thread.
    // Both counts read the membership m of a query, look at the ChannelSummary.MAX_SCANNED sequences after its
    // checkpoint at most (an index range of the channel), and stop at ChannelSummary.MAX_COUNTED.
    private static final String SCANNED = " AND x.seq > m.last_read_seq AND x.seq <= m.last_read_seq + " + ChannelSummary.MAX_SCANNED;
    static final String UNREAD_COUNT = "LEAST(" + ChannelSummary.MAX_COUNTED + ", (SELECT COUNT(*) FROM messages x"
            + " WHERE x.channel_id = m.channel_id" + SCANNED + " AND x.sender <> m.user_id AND x.deleted_at IS NULL"
            + " AND (x.parent_id IS NULL OR x.also_to_channel = TRUE)))";
    // Mentions of the member in those messages (a deleted message's mentions are gone with it).
    static final String MENTION_COUNT = "LEAST(" + ChannelSummary.MAX_COUNTED + ", (SELECT COUNT(*) FROM mentions x"
            + " WHERE x.channel_id = m.channel_id AND x.user_id = m.user_id" + SCANNED + "))";
    static final String MESSAGE_COLUMNS = "id, channel_id, seq, sender, text, attachments, client_msg_id, created_at,"
            + " edited_at, deleted_at, parent_id, also_to_channel";

    private Rows() {
    }

    static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                instant(rs, 6));
    }

    /** A channel from {@link #CHANNEL_COLUMNS} starting at column {@code at}. */
    static Channel channel(ResultSet rs, int at) throws SQLException {
        return new Channel(rs.getLong(at), rs.getString(at + 1), rs.getString(at + 2),
                ChannelType.valueOf(rs.getString(at + 3)), rs.getLong(at + 4), instant(rs, at + 5));
    }

    /** A membership from {@link #MEMBERSHIP_COLUMNS} starting at column {@code at}. */
    static Membership membership(ResultSet rs, int at) throws SQLException {
        return new Membership(rs.getLong(at), rs.getString(at + 1), instant(rs, at + 2), rs.getBoolean(at + 3),
                rs.getBoolean(at + 4), rs.getBoolean(at + 5), rs.getLong(at + 6));
    }

    /**
     * A message from {@link #MESSAGE_COLUMNS}, with the state its own row holds (edit, tombstone, thread
     * place); {@link MessageStates#load} adds reactions, thread summaries and mentions.
     */
    static Message message(ResultSet rs) throws SQLException {
        long parent = rs.getLong(11); // NULL reads as 0, which no message id is
        MessageState state = new MessageState(instant(rs, 9), instant(rs, 10), List.of(), parent,
                rs.getBoolean(12), null, null, List.of());
        return new Message(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), instant(rs, 8), state.equals(MessageState.NONE) ? MessageState.NONE : state,
                null);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
}
