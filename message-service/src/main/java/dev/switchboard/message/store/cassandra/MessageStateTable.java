package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.Message;
import dev.switchboard.message.store.MediaStore;
import dev.switchboard.wire.chat.MessageState;
import dev.switchboard.wire.chat.Reaction;
import dev.switchboard.wire.chat.ThreadSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The current state of messages ({@code message_state}), derived from the channel
 * log (ADR 0011, ADR 0013). An entry's effect is written after the entry is durable,
 * each write with the entry's sequence as its timestamp: Cassandra keeps the cell of
 * the highest timestamp, so applying entries twice, or in any order, leaves the state
 * that applying them once in order does (a reaction removed at 7 stays removed when its
 * addition at 5 is applied again). {@code state_applied} records how far a channel's log
 * is applied; whoever needs the state up to a sequence ({@link #ensureApplied}: writers
 * before they check a change, readers before they load a page) applies what is missing
 * from the log first, so a crash between an entry and its effect is repaired by the
 * next reader or writer of the channel.
 */
final class MessageStateTable {
    static final String REACTION = "reaction";
    static final String REPLY = "reply";
    static final String EDIT = "edit";
    private static final int REPLAY_PAGE = 500;

    private final CqlSession session;
    private final ChannelLog log;
    private final MediaStore media;
    private final PreparedStatement readState;
    private final PreparedStatement readReplies;
    private final PreparedStatement setSeq;
    private final PreparedStatement setText;
    private final PreparedStatement deleted;
    private final PreparedStatement addRow;
    private final PreparedStatement removeRow;
    private final PreparedStatement readApplied;
    private final PreparedStatement writeApplied;

    MessageStateTable(MessageKeyspace ks, ChannelLog log, MediaStore media) {
        this.session = ks.session();
        this.log = log;
        this.media = media;
        String t = ks.table("message_state");
        this.readState = ks.prepareRead("SELECT seq, text, edited_at, deleted_at, part, key, entry_seq, who, at, emoji"
                + " FROM " + t + " WHERE channel_id = ? AND message_id = ?");
        // Every regular column, though only entry_seq is used: read repair writes back only what a read selects,
        // and a row repaired in part would be read back as a reply without its author (ADR 0011, "Read repair").
        this.readReplies = ks.prepareRead("SELECT entry_seq, who, at, emoji FROM " + t + " WHERE channel_id = ? AND message_id = ?"
                + " AND part = '" + REPLY + "' AND key > ? LIMIT ?");
        this.setSeq = session.prepare("UPDATE " + t + " USING TIMESTAMP ? SET seq = ? WHERE channel_id = ? AND message_id = ?");
        this.setText = session.prepare("UPDATE " + t + " USING TIMESTAMP ? SET text = ?, edited_at = ?"
                + " WHERE channel_id = ? AND message_id = ?");
        this.deleted = session.prepare("UPDATE " + t + " USING TIMESTAMP ? SET text = '', deleted_at = ?"
                + " WHERE channel_id = ? AND message_id = ?");
        this.addRow = session.prepare("INSERT INTO " + t + " (channel_id, message_id, part, key, entry_seq, who, at,"
                + " emoji) VALUES (?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?");
        this.removeRow = session.prepare("DELETE FROM " + t + " USING TIMESTAMP ? WHERE channel_id = ? AND message_id = ?"
                + " AND part = ? AND key = ?");
        String applied = ks.table("state_applied");
        this.readApplied = ks.prepareRead("SELECT seq FROM " + applied + " WHERE channel_id = ?");
        this.writeApplied = session.prepare("UPDATE " + applied + " USING TIMESTAMP ? SET seq = ? WHERE channel_id = ?");
    }

    /** A sequence as a clustering key that sorts as the number does. */
    static String key(long seq) {
        return String.format("%019d", seq);
    }

    private static String reactionKey(String emoji, String user) {
        return emoji + ' ' + user; // an emoji name has no whitespace
    }

    /** Writes what {@code e} does to its message's state (its effect, idempotent: see the class comment). */
    CompletableFuture<Void> apply(LogEntry e) {
        long ts = e.seq();
        long ch = e.channelId();
        List<CompletionStage<?>> writes = new ArrayList<>(2);
        switch (e.kind()) {
            case MESSAGE -> {
                writes.add(write(setSeq.bind(ts, e.seq(), ch, e.messageId())));
                if (e.parentId() != 0) {
                    writes.add(write(addRow.bind(ch, e.parentId(), REPLY, key(e.seq()), e.seq(), e.actor(),
                            e.createdAt(), null, ts)));
                }
            }
            case EDIT -> {
                writes.add(write(setText.bind(ts, e.text(), e.createdAt(), ch, e.messageId())));
                writes.add(write(addRow.bind(ch, e.messageId(), EDIT, key(e.seq()), e.seq(), e.actor(), e.createdAt(),
                        null, ts)));
            }
            case DELETE -> {
                media.unshare(ch, e.messageId()); // relational and blocking: on the caller's thread
                writes.add(write(deleted.bind(ts, e.createdAt(), ch, e.messageId()))
                        .thenCompose(ok -> forget(ch, e.messageId())));
            }
            case REACTION_ADDED -> writes.add(write(addRow.bind(ch, e.messageId(), REACTION,
                    reactionKey(e.emoji(), e.actor()), e.seq(), e.actor(), e.createdAt(), e.emoji(), ts)));
            case REACTION_REMOVED -> writes.add(write(removeRow.bind(ts, ch, e.messageId(), REACTION,
                    reactionKey(e.emoji(), e.actor()))));
        }
        return CompletableFuture.allOf(writes.stream().map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new));
    }

    /**
     * A tombstone keeps nothing of the message (ADR 0013): its words leave the log, from its own
     * entry and from its edits' (the media are unshared by the caller).
     */
    private CompletionStage<Void> forget(long channelId, long messageId) {
        return session.executeAsync(readState.bind(channelId, messageId)).thenCompose(rs -> {
            List<CompletableFuture<?>> clears = new ArrayList<>();
            Long own = null;
            for (Row r : rs.currentPage()) {
                own = r.isNull(0) ? own : Long.valueOf(r.getLong(0));
                if (EDIT.equals(r.getString(4))) {
                    clears.add(log.clearText(channelId, r.getLong(6)).toCompletableFuture());
                }
            }
            if (own != null) {
                clears.add(log.clearText(channelId, own).toCompletableFuture());
            }
            return CompletableFuture.allOf(clears.toArray(CompletableFuture[]::new));
        });
    }

    private CompletionStage<AsyncResultSet> write(com.datastax.oss.driver.api.core.cql.BoundStatement s) {
        return session.executeAsync(s.setIdempotent(true));
    }

    /** How far the channel's log is applied (0: nothing recorded). */
    long applied(long channelId) {
        Row r = session.execute(readApplied.bind(channelId)).one();
        return r == null || r.isNull(0) ? 0 : r.getLong(0);
    }

    /** Records that every entry up to {@code seq} is applied (only ever moves forward). */
    CompletionStage<AsyncResultSet> markApplied(long channelId, long seq) {
        return write(writeApplied.bind(seq, seq, channelId));
    }

    /**
     * Makes sure the channel's state reflects every entry up to {@code through} (a sequence the
     * log has): applies the entries above the recorded mark again (harmless if they were applied)
     * and moves the mark. Blocking.
     */
    void ensureApplied(long channelId, long through) {
        long cursor = applied(channelId);
        if (cursor >= through) {
            return;
        }
        while (cursor < through) {
            List<LogEntry> page = log.after(channelId, cursor, REPLAY_PAGE);
            if (page.isEmpty()) {
                break;
            }
            List<CompletableFuture<Void>> writes = new ArrayList<>(page.size());
            for (LogEntry e : page) {
                if (e.seq() > through) {
                    break;
                }
                writes.add(apply(e));
                cursor = e.seq();
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
            if (page.getLast().seq() > through) {
                break;
            }
        }
        markApplied(channelId, cursor).toCompletableFuture().join();
    }

    /** The sequences of thread {@code rootId}'s replies after {@code afterSeq}, oldest first, up to {@code n}. */
    List<Long> replies(long channelId, long rootId, long afterSeq, int n) {
        List<Long> out = new ArrayList<>(n);
        for (Row r : session.execute(readReplies.bind(channelId, rootId, key(afterSeq), n))) {
            out.add(r.getLong(0));
        }
        return out;
    }

    /** The message {@code messageId} of the channel in its current state; 404 when the channel has no such message. */
    Message message(long channelId, long messageId) {
        State s = state(channelId, messageId).toCompletableFuture().join();
        LogEntry own = s.seq() == null ? null : log.at(channelId, s.seq());
        if (own == null || !own.isMessage() || own.messageId() != messageId) {
            throw ChatException.notFound("no message " + messageId + " in channel " + channelId);
        }
        return load(channelId, List.of(own)).getFirst();
    }

    /**
     * The entries as readers get them: each message entry its message in its current state,
     * each change entry its message in its current state with the change as its event.
     */
    List<Message> load(long channelId, List<LogEntry> entries) {
        Map<Long, CompletableFuture<State>> states = new HashMap<>();
        Map<Long, LogEntry> originals = new HashMap<>();
        for (LogEntry e : entries) {
            states.computeIfAbsent(e.messageId(), id -> state(channelId, id).toCompletableFuture());
            if (e.isMessage()) {
                originals.put(e.messageId(), e);
            }
        }
        Map<Long, CompletableFuture<LogEntry>> missing = new HashMap<>();
        for (LogEntry e : entries) {
            if (!e.isMessage() && !originals.containsKey(e.messageId())) {
                missing.computeIfAbsent(e.messageId(), id -> states.get(id).thenCompose(s -> s.seq() == null
                        ? CompletableFuture.completedFuture(null) : log.atAsync(channelId, s.seq())).toCompletableFuture());
            }
        }
        missing.forEach((id, f) -> {
            LogEntry own = f.join();
            if (own != null) {
                originals.put(id, own);
            }
        });
        for (LogEntry own : originals.values()) {
            if (own.parentId() != 0) {
                states.computeIfAbsent(own.parentId(), id -> state(channelId, id).toCompletableFuture());
            }
        }
        List<Message> out = new ArrayList<>(entries.size());
        for (LogEntry e : entries) {
            LogEntry own = originals.get(e.messageId());
            if (own == null) {
                continue; // a change of a message whose entry is gone: cannot happen in a gap-free log
            }
            Message m = current(own, states.get(own.messageId()).join(),
                    own.parentId() == 0 ? null : states.get(own.parentId()).join());
            out.add(e.isMessage() ? m : m.with(m.state(), e.event()));
        }
        return out;
    }

    private static Message current(LogEntry own, State s, State root) {
        boolean deleted = s.deletedAt() != null;
        String text = deleted ? "" : s.text() != null ? s.text() : own.text();
        List<String> mentions = deleted ? List.of() : own.mentions().stream().sorted().toList();
        MessageState state = new MessageState(s.editedAt(),
                s.deletedAt(), deleted ? List.of() : s.reactions(), own.parentId(), own.alsoToChannel(),
                own.parentId() == 0 ? s.thread() : null, root == null ? null : root.thread(), mentions);
        Message plain = new Message(own.messageId(), own.channelId(), own.seq(), own.actor(), text,
                deleted ? null : own.attachments(), own.clientId(), own.createdAt());
        return plain.with(state.equals(MessageState.NONE)
                ? MessageState.NONE : state, null);
    }

    private CompletionStage<State> state(long channelId, long messageId) {
        return session.executeAsync(readState.bind(channelId, messageId)).thenCompose(rs -> collect(rs, new Builder()));
    }

    private static CompletionStage<State> collect(AsyncResultSet rs, Builder b) {
        for (Row r : rs.currentPage()) {
            b.add(r);
        }
        if (rs.hasMorePages()) {
            return rs.fetchNextPage().thenCompose(next -> collect(next, b));
        }
        return CompletableFuture.completedFuture(b.build());
    }

    /** What {@code message_state} holds of one message. */
    private record State(Long seq, String text, Instant editedAt, Instant deletedAt,
                         List<Reaction> reactions,
                         ThreadSummary thread) {
    }

    private static final class Builder {
        private Long seq;
        private String text;
        private Instant editedAt;
        private Instant deletedAt;
        private final List<Row> reactions = new ArrayList<>();
        private int replies;
        private Instant lastReply;
        private final List<String> repliers = new ArrayList<>();

        void add(Row r) {
            seq = r.isNull(0) ? seq : Long.valueOf(r.getLong(0));
            text = r.isNull(1) ? text : r.getString(1);
            editedAt = r.isNull(2) ? editedAt : r.getInstant(2);
            deletedAt = r.isNull(3) ? deletedAt : r.getInstant(3);
            String part = r.getString(4);
            if (REACTION.equals(part)) {
                reactions.add(r);
            } else if (REPLY.equals(part)) {
                replies++; // rows come in key order, which is sequence order
                lastReply = r.getInstant(8);
                if (!repliers.contains(r.getString(7))) {
                    repliers.add(r.getString(7));
                }
            }
        }

        State build() {
            // Per emoji in the order of the reactions that added them, users in that order too.
            reactions.sort(Comparator.comparingLong(r -> r.getLong(6)));
            Map<String, List<String>> byEmoji = new LinkedHashMap<>();
            for (Row r : reactions) {
                byEmoji.computeIfAbsent(r.getString(9), k -> new ArrayList<>()).add(r.getString(7));
            }
            List<Reaction> list = new ArrayList<>(byEmoji.size());
            byEmoji.forEach((emoji, users) -> list.add(new Reaction(emoji, users)));
            return new State(seq, text, editedAt, deletedAt, list,
                    replies == 0 ? null : new ThreadSummary(replies, lastReply, repliers));
        }
    }
}
