package dev.switchboard.message.store;

import dev.switchboard.message.ChatException;
import dev.switchboard.message.HistoryPage;
import dev.switchboard.message.Message;
import dev.switchboard.wire.chat.ChatEvent;
import dev.switchboard.wire.chat.EventKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A channel's log in the relational store (ADR 0013): messages (their rows in
 * {@code messages}) and the events that changed them ({@code message_events}),
 * one sequence for both. Reads the log in sequence order, each entry carrying its
 * message's current state, and the look-ups that writers of entries share.
 */
final class EventLog {
    // Both halves name the channel: one partition, one index walk each.
    private static final String LOG_AFTER = "SELECT seq, message_id, kind, actor, emoji, client_id, created_at FROM ("
            + " SELECT seq, id AS message_id, 'MESSAGE' AS kind, sender AS actor, CAST(NULL AS VARCHAR(64)) AS emoji,"
            + " CAST(NULL AS VARCHAR(128)) AS client_id, created_at FROM messages WHERE channel_id = ? AND seq > ?"
            + " UNION ALL"
            + " SELECT seq, message_id, kind, actor, emoji, client_id, created_at FROM message_events"
            + " WHERE channel_id = ? AND seq > ?) log ORDER BY seq LIMIT ?";

    private EventLog() {
    }

    /** Up to {@code n} log entries after {@code afterSeq}, oldest first; each with its message's current state. */
    static HistoryPage after(Connection c, long channelId, long afterSeq, int n) throws SQLException {
        record Entry(long seq, long messageId, ChatEvent event) {
        }
        List<Entry> entries = new ArrayList<>(n + 1);
        try (PreparedStatement ps = c.prepareStatement(LOG_AFTER)) {
            ps.setLong(1, channelId);
            ps.setLong(2, afterSeq);
            ps.setLong(3, channelId);
            ps.setLong(4, afterSeq);
            ps.setInt(5, n + 1); // one more than asked says whether there is a next page
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    EventKind kind = EventKind.valueOf(rs.getString(3));
                    ChatEvent event = kind == EventKind.MESSAGE ? null : new ChatEvent(kind, rs.getLong(1),
                            rs.getString(4), rs.getString(5), rs.getString(6), Rows.instant(rs, 7));
                    entries.add(new Entry(rs.getLong(1), rs.getLong(2), event));
                }
            }
        }
        Long next = null;
        if (entries.size() > n) {
            entries.remove(n);
            next = entries.get(n - 1).seq();
        }
        Set<Long> ids = new LinkedHashSet<>();
        entries.forEach(e -> ids.add(e.messageId()));
        Map<Long, Message> current = byIds(c, channelId, ids);
        List<Message> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            Message m = current.get(e.messageId());
            out.add(e.event() == null ? m : m.with(m.state(), e.event()));
        }
        return new HistoryPage(out, next);
    }

    /** The messages with these ids in the channel, with their complete current state. */
    static Map<Long, Message> byIds(Connection c, long channelId, Set<Long> ids) throws SQLException {
        Map<Long, Message> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        List<Message> rows = new ArrayList<>(ids.size());
        try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.MESSAGE_COLUMNS + " FROM messages"
                + " WHERE channel_id = ? AND id IN (" + String.join(", ", java.util.Collections.nCopies(ids.size(), "?"))
                + ")")) {
            ps.setLong(1, channelId);
            int i = 2;
            for (long id : ids) {
                ps.setLong(i++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(Rows.message(rs));
                }
            }
        }
        for (Message m : MessageStates.load(c, channelId, rows)) {
            out.put(m.id(), m);
        }
        return out;
    }

    /**
     * The message {@code messageId} of the channel as its row holds it. Another channel's message is
     * as unknown as a missing one: ids are not probed across channels.
     */
    static Message message(Connection c, long channelId, long messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.MESSAGE_COLUMNS + " FROM messages"
                + " WHERE channel_id = ? AND id = ?")) {
            ps.setLong(1, channelId);
            ps.setLong(2, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ChatException.notFound("no message " + messageId + " in channel " + channelId);
                }
                return Rows.message(rs);
            }
        }
    }

    /** The root a reply may name: a message of the channel, not deleted, not itself a reply. */
    static Message threadRoot(Connection c, long channelId, long parentId) throws SQLException {
        Message root = message(c, channelId, parentId);
        if (root.state().deleted()) {
            throw ChatException.conflict("message " + parentId + " is deleted");
        }
        if (root.state().parentId() != 0) {
            throw ChatException.badRequest("message " + parentId + " is a reply; reply to its thread's root "
                    + root.state().parentId());
        }
        return root;
    }

    /** Records whom a new message mentions (user ids, resolved by the caller). */
    static void insertMentions(Connection c, Message m, List<String> users) throws SQLException {
        if (users.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO mentions (channel_id, message_id, seq, user_id) VALUES (?, ?, ?, ?)")) {
            for (String u : new LinkedHashSet<>(users)) {
                ps.setLong(1, m.channelId());
                ps.setLong(2, m.id());
                ps.setLong(3, m.seq());
                ps.setString(4, u);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
