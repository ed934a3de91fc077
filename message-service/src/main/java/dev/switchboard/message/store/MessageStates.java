package dev.switchboard.message.store;

import dev.switchboard.message.Message;
import dev.switchboard.wire.chat.MessageState;
import dev.switchboard.wire.chat.Reaction;
import dev.switchboard.wire.chat.ThreadSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Completes messages read from their rows with what other rows hold: reactions
 * per emoji (in the order of the events that added them), thread summaries of
 * roots and of a reply's root, and mentions. One query per kind for a whole page,
 * each naming the channel. Run inside the reading or writing transaction, so a
 * copy is the state as of that transaction (ADR 0013).
 */
final class MessageStates {
    private MessageStates() {
    }

    /** {@code messages} (all of channel {@code channelId}) with their complete state, in the same order. */
    static List<Message> load(Connection c, long channelId, List<Message> messages) throws SQLException {
        if (messages.isEmpty()) {
            return messages;
        }
        Set<Long> ids = new LinkedHashSet<>();
        Set<Long> roots = new LinkedHashSet<>();
        for (Message m : messages) {
            ids.add(m.id());
            roots.add(m.state().parentId() == 0 ? m.id() : m.state().parentId());
        }
        Map<Long, List<Reaction>> reactions = reactions(c, channelId, ids);
        Map<Long, ThreadSummary> threads = threads(c, channelId, roots);
        Map<Long, List<String>> mentions = mentions(c, channelId, ids);
        List<Message> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            MessageState s = m.state();
            boolean reply = s.parentId() != 0;
            MessageState full = new MessageState(s.editedAt(), s.deletedAt(), reactions.getOrDefault(m.id(), List.of()),
                    s.parentId(), s.alsoToChannel(), reply ? null : threads.get(m.id()),
                    reply ? threads.get(s.parentId()) : null, mentions.getOrDefault(m.id(), List.of()));
            out.add(m.with(full.equals(MessageState.NONE) ? MessageState.NONE : full, m.event()));
        }
        return out;
    }

    /** One message with its complete state. */
    static Message load(Connection c, Message m) throws SQLException {
        return load(c, m.channelId(), List.of(m)).get(0);
    }

    private static Map<Long, List<Reaction>> reactions(Connection c, long channelId, Set<Long> ids)
            throws SQLException {
        Map<Long, LinkedHashMap<String, List<String>>> byMessage = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT message_id, emoji, user_id FROM reactions"
                + " WHERE channel_id = ? AND message_id IN (" + placeholders(ids.size()) + ") ORDER BY message_id, seq")) {
            bind(ps, channelId, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byMessage.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>())
                            .computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getString(3));
                }
            }
        }
        Map<Long, List<Reaction>> out = new HashMap<>();
        byMessage.forEach((id, emojis) -> {
            List<Reaction> list = new ArrayList<>(emojis.size());
            emojis.forEach((emoji, users) -> list.add(new Reaction(emoji, users)));
            out.put(id, list);
        });
        return out;
    }

    private static Map<Long, ThreadSummary> threads(Connection c, long channelId, Set<Long> roots)
            throws SQLException {
        Map<Long, List<String>> repliers = new HashMap<>();
        Map<Long, Integer> counts = new HashMap<>();
        Map<Long, Instant> last = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT parent_id, sender, created_at FROM messages"
                + " WHERE channel_id = ? AND parent_id IN (" + placeholders(roots.size()) + ") ORDER BY parent_id, seq")) {
            bind(ps, channelId, roots);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long root = rs.getLong(1);
                    List<String> who = repliers.computeIfAbsent(root, k -> new ArrayList<>());
                    if (!who.contains(rs.getString(2))) {
                        who.add(rs.getString(2));
                    }
                    counts.merge(root, 1, Integer::sum);
                    last.put(root, Rows.instant(rs, 3));
                }
            }
        }
        Map<Long, ThreadSummary> out = new HashMap<>();
        counts.forEach((root, n) -> out.put(root, new ThreadSummary(n, last.get(root), repliers.get(root))));
        return out;
    }

    private static Map<Long, List<String>> mentions(Connection c, long channelId, Set<Long> ids) throws SQLException {
        Map<Long, List<String>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT message_id, user_id FROM mentions"
                + " WHERE channel_id = ? AND message_id IN (" + placeholders(ids.size()) + ") ORDER BY message_id, user_id")) {
            bind(ps, channelId, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static void bind(PreparedStatement ps, long channelId, Set<Long> ids) throws SQLException {
        ps.setLong(1, channelId);
        int i = 2;
        for (long id : ids) {
            ps.setLong(i++, id);
        }
    }
}
