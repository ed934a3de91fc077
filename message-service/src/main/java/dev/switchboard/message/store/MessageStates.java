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
 * roots and of a reply's root, and mentions. One statement for a whole page (the
 * three kinds in a UNION ALL), each part naming the channel. Run inside the reading or writing transaction, so a
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
        States states = states(c, channelId, ids, roots);
        Map<Long, List<Reaction>> reactions = states.reactions;
        Map<Long, ThreadSummary> threads = states.threads;
        Map<Long, List<String>> mentions = states.mentions;
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

    // One statement for the three kinds (k: 0 reaction, 1 thread replier, 2 mention), each in its order: reactions
    // by the events that added them, a root's repliers by their first reply, mentions by user id. A root's replies are
    // counted by the database, one row per replier (a send loads its root's state inside the channel's lock, so a
    // row per reply would make a thread of N replies cost N rows per reply).
    private static String statesQuery(int ids, int roots) {
        return "SELECT 0 AS k, message_id AS id, emoji AS a, CAST(NULL AS TIMESTAMP WITH TIME ZONE) AS t, seq AS o1,"
                + " user_id AS o2, 0 AS n FROM reactions WHERE channel_id = ? AND message_id IN (" + placeholders(ids) + ")"
                + " UNION ALL SELECT 1, parent_id, sender, MAX(created_at), MIN(seq), CAST(NULL AS VARCHAR(64)), COUNT(*)"
                + " FROM messages WHERE channel_id = ? AND parent_id IN (" + placeholders(roots) + ") GROUP BY parent_id, sender"
                + " UNION ALL SELECT 2, message_id, user_id, CAST(NULL AS TIMESTAMP WITH TIME ZONE), 0, user_id, 0 FROM mentions"
                + " WHERE channel_id = ? AND message_id IN (" + placeholders(ids) + ")"
                + " ORDER BY k, id, o1, o2";
    }

    /** Reactions, thread summaries and mentions of a page, read in one statement. */
    private static final class States {
        final Map<Long, List<Reaction>> reactions = new HashMap<>();
        final Map<Long, ThreadSummary> threads = new HashMap<>();
        final Map<Long, List<String>> mentions = new HashMap<>();
    }

    private static States states(Connection c, long channelId, Set<Long> ids, Set<Long> roots) throws SQLException {
        Map<Long, LinkedHashMap<String, List<String>>> emojis = new HashMap<>();
        Map<Long, List<String>> repliers = new HashMap<>();
        Map<Long, Integer> counts = new HashMap<>();
        Map<Long, Instant> last = new HashMap<>();
        States out = new States();
        try (PreparedStatement ps = c.prepareStatement(statesQuery(ids.size(), roots.size()))) {
            int i = bind(ps, 1, channelId, ids);
            i = bind(ps, i, channelId, roots);
            bind(ps, i, channelId, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(2);
                    switch (rs.getInt(1)) {
                        case 0 -> emojis.computeIfAbsent(id, k -> new LinkedHashMap<>())
                                .computeIfAbsent(rs.getString(3), k -> new ArrayList<>()).add(rs.getString(6));
                        case 1 -> {
                            repliers.computeIfAbsent(id, k -> new ArrayList<>()).add(rs.getString(3));
                            counts.merge(id, rs.getInt(7), Integer::sum);
                            last.merge(id, Rows.instant(rs, 4), (a, b) -> a.isAfter(b) ? a : b);
                        }
                        default -> out.mentions.computeIfAbsent(id, k -> new ArrayList<>()).add(rs.getString(3));
                    }
                }
            }
        }
        emojis.forEach((id, byEmoji) -> {
            List<Reaction> list = new ArrayList<>(byEmoji.size());
            byEmoji.forEach((emoji, users) -> list.add(new Reaction(emoji, users)));
            out.reactions.put(id, list);
        });
        counts.forEach((root, n) -> out.threads.put(root, new ThreadSummary(n, last.get(root), repliers.get(root))));
        return out;
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** Binds the channel then the ids from parameter {@code at}; returns the next parameter's index. */
    private static int bind(PreparedStatement ps, int at, long channelId, Set<Long> ids) throws SQLException {
        ps.setLong(at, channelId);
        int i = at + 1;
        for (long id : ids) {
            ps.setLong(i++, id);
        }
        return i;
    }
}
