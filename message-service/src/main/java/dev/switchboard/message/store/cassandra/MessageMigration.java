package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.switchboard.message.UserRef;
import dev.switchboard.message.store.Database;
import dev.switchboard.message.store.MediaStore;
import dev.switchboard.wire.chat.EventKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Copies the channel logs of a relational deployment (PostgreSQL) to the Cassandra
 * message store with their sequences, message ids and client ids intact
 * ({@code switchboard migrate-messages}; docs/operations.md). Channels are copied one
 * after another in chunks; after each chunk (its entries, bucket heads, idempotency
 * keys and the state they leave) the channel's progress is recorded in
 * {@code migration_progress}, so an interrupted run continues at the first entry not
 * yet recorded and an entry is never copied again (a chunk cut short is written
 * again, row for row the same). A channel that grew since it was copied continues
 * from where its copy ended, so a run after writes stopped copies only what is new
 * (the pause of the switch). Read checkpoints are copied for every channel on every
 * run (they move without new entries). At the end every channel's log is counted
 * on both sides.
 *
 * <p>Nothing may write messages while a channel is copied: the copy writes without
 * the conditions that sends use (see docs/operations.md for the order of the switch).
 * Users, channels, memberships and media stay in the relational database, which the
 * Cassandra store goes on using.
 */
public final class MessageMigration {
    /** Entries copied per chunk unless told otherwise. */
    public static final int DEFAULT_CHUNK = 500;
    private static final String LOG = "SELECT seq, message_id, kind, actor, text, attachments, client_id, created_at,"
            + " emoji, parent_id, also_to_channel FROM ("
            + " SELECT seq, id AS message_id, 'MESSAGE' AS kind, sender AS actor, text, attachments,"
            + " client_msg_id AS client_id, created_at, CAST(NULL AS VARCHAR(64)) AS emoji, parent_id, also_to_channel"
            + " FROM messages WHERE channel_id = ? AND seq > ?"
            + " UNION ALL"
            // PostgreSQL keeps no edit's text, only the message's current one: an edit entry carries the text the
            // message has when the entry is copied, which is this edit's or a later edit's (copied later, so it wins).
            + " SELECT e.seq, e.message_id, e.kind, e.actor, CASE WHEN e.kind = 'EDIT' THEN m.text END,"
            + " CAST(NULL AS TEXT), e.client_id, e.created_at, e.emoji, CAST(NULL AS BIGINT), FALSE"
            + " FROM message_events e LEFT JOIN messages m ON m.channel_id = e.channel_id AND m.id = e.message_id"
            + " WHERE e.channel_id = ? AND e.seq > ?) log"
            + " ORDER BY seq LIMIT ?";

    private final Database source;
    private final CqlSession session;
    private final ChannelLog log;
    private final MessageStateTable state;
    private final ClientIds messageKeys;
    private final ClientIds eventKeys;
    private final ReadPositions positions;
    private final PreparedStatement readProgress;
    private final PreparedStatement writeProgress;
    private final int chunk;
    private final Consumer<String> progress;

    /** Copies from {@code source} into {@code ks} in chunks of {@code chunk} entries; {@code progress} hears each step. */
    public MessageMigration(Database source, MessageKeyspace ks, int chunk, Consumer<String> progress) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1");
        }
        this.source = source;
        this.session = ks.session();
        this.log = new ChannelLog(ks);
        this.state = new MessageStateTable(ks, log, new MediaStore(source, Clock.systemUTC()));
        this.messageKeys = new ClientIds(ks, ClientIds.MESSAGES);
        this.eventKeys = new ClientIds(ks, ClientIds.EVENTS);
        this.positions = new ReadPositions(ks);
        String table = ks.table("migration_progress");
        this.readProgress = ks.prepareRead("SELECT copied_seq, done FROM " + table + " WHERE channel_id = ?");
        this.writeProgress = session.prepare("UPDATE " + table + " SET copied_seq = ?, done = ? WHERE channel_id = ?");
        this.chunk = chunk;
        this.progress = progress;
    }

    /** What a run did. {@code complete}: every channel is copied and verified; {@code mismatches} say what is not. */
    public record Report(int channels, int copied, int alreadyDone, long entries, boolean complete,
                         List<String> mismatches) {
    }

    /**
     * Copies the channels not copied yet, in id order, stopping after {@code maxChannels}
     * newly finished ones (0: all), then verifies what is finished.
     */
    public Report run(int maxChannels) {
        List<long[]> channels = channels();
        progress.accept("migrating " + channels.size() + " channels (chunks of " + chunk + " entries)");
        int copied = 0;
        int done = 0;
        long entries = 0;
        boolean stopped = false;
        for (long[] c : channels) {
            long channelId = c[0];
            long lastSeq = c[1];
            Row p = session.execute(readProgress.bind(channelId)).one();
            long from = p == null || p.isNull(0) ? 0 : p.getLong(0);
            if (from == lastSeq && p != null && !p.isNull(1) && p.getBoolean(1)) {
                copyCheckpoints(channelId); // read without sending since: the checkpoints moved
                done++;
                continue;
            }
            if (maxChannels > 0 && copied >= maxChannels) {
                stopped = true;
                break;
            }
            entries += copyChannel(channelId, from, lastSeq);
            copied++;
            progress.accept("channel " + channelId + ": " + lastSeq + " entries copied (" + (done + copied) + "/"
                    + channels.size() + " channels)");
        }
        if (stopped) {
            progress.accept("stopped after " + copied + " channels; run again to continue");
            return new Report(channels.size(), copied, done, entries, false, List.of());
        }
        List<String> mismatches = verify(channels);
        progress.accept(mismatches.isEmpty()
                ? "verified: " + channels.size() + " channels, every log has the same entries on both sides"
                : "verification failed: " + mismatches);
        return new Report(channels.size(), copied, done, entries, mismatches.isEmpty(), mismatches);
    }

    /** Every channel with its last sequence, by id. */
    private List<long[]> channels() {
        try (Connection c = source.dataSource().getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT id, last_seq FROM channels ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            List<long[]> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading channels failed", e);
        }
    }

    /** Copies the channel's entries above {@code from} up to {@code lastSeq}, chunk by chunk; returns how many. */
    private long copyChannel(long channelId, long from, long lastSeq) {
        long cursor = from;
        long n = 0;
        while (cursor < lastSeq) {
            List<LogEntry> entries = read(channelId, cursor);
            if (entries.isEmpty()) {
                throw new IllegalStateException("channel " + channelId + " has last_seq " + lastSeq
                        + " but no entry after " + cursor);
            }
            List<CompletableFuture<?>> writes = new ArrayList<>();
            Map<Long, Long> heads = new HashMap<>();
            for (LogEntry e : entries) {
                if (e.seq() != cursor + 1) {
                    throw new IllegalStateException("channel " + channelId + " has a gap: " + e.seq() + " after " + cursor);
                }
                writes.add(log.copy(e).toCompletableFuture());
                if (e.clientId() != null) {
                    ClientIds keys = e.isMessage() ? messageKeys : eventKeys;
                    writes.add(keys.copy(channelId, e.actor(), e.clientId(), e.seq()).toCompletableFuture());
                }
                heads.merge(log.bucketOf(e.seq()), e.seq(), Math::max);
                cursor = e.seq();
            }
            heads.forEach((bucket, head) -> writes.add(log.copyHead(channelId, head).toCompletableFuture()));
            join(writes);
            // The state after the chunk, then the marks that say so: applied, newest bucket, progress.
            List<CompletableFuture<?>> effects = new ArrayList<>();
            for (LogEntry e : entries) {
                effects.add(state.apply(e));
            }
            join(effects);
            join(List.of(state.markApplied(channelId, cursor).toCompletableFuture(),
                    log.hintBucket(channelId, log.bucketOf(cursor)).toCompletableFuture()));
            session.execute(writeProgress.bind(cursor, false, channelId));
            n += entries.size();
            if (cursor < lastSeq) {
                progress.accept("channel " + channelId + ": " + cursor + "/" + lastSeq);
            }
        }
        copyCheckpoints(channelId);
        session.execute(writeProgress.bind(cursor, true, channelId));
        return n;
    }

    private List<LogEntry> read(long channelId, long after) {
        try (Connection c = source.dataSource().getConnection()) {
            List<LogEntry> out = new ArrayList<>(chunk);
            try (java.sql.PreparedStatement ps = c.prepareStatement(LOG)) {
                ps.setLong(1, channelId);
                ps.setLong(2, after);
                ps.setLong(3, channelId);
                ps.setLong(4, after);
                ps.setInt(5, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        OffsetDateTime at = rs.getObject(8, OffsetDateTime.class);
                        out.add(new LogEntry(channelId, rs.getLong(1), EventKind.valueOf(rs.getString(3)), rs.getLong(2),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), at.toInstant(),
                                rs.getString(9), rs.getLong(10), rs.getBoolean(11), List.of()));
                    }
                }
            }
            Map<Long, List<String>> mentions = new HashMap<>();
            if (!out.isEmpty()) {
                try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT message_id, user_id FROM mentions"
                        + " WHERE channel_id = ? AND seq > ? AND seq <= ? ORDER BY message_id, user_id")) {
                    ps.setLong(1, channelId);
                    ps.setLong(2, after);
                    ps.setLong(3, out.getLast().seq());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            mentions.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                        }
                    }
                }
            }
            c.commit();
            List<LogEntry> withMentions = new ArrayList<>(out.size());
            for (LogEntry e : out) {
                List<String> m = e.isMessage() ? mentions.get(e.messageId()) : null;
                withMentions.add(m == null ? e : new LogEntry(e.channelId(), e.seq(), e.kind(), e.messageId(), e.actor(),
                        e.text(), e.attachments(), e.clientId(), e.createdAt(), e.emoji(), e.parentId(),
                        e.alsoToChannel(), m));
            }
            return withMentions;
        } catch (SQLException e) {
            throw new IllegalStateException("reading channel " + channelId + " failed", e);
        }
    }

    /** The members' read checkpoints (written with the sequence as timestamp: a higher one already there stays). */
    private void copyCheckpoints(long channelId) {
        List<CompletableFuture<?>> writes = new ArrayList<>();
        try (Connection c = source.dataSource().getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement(
                     "SELECT org, user_id, last_read_seq FROM memberships WHERE channel_id = ? AND last_read_seq > 0")) {
            ps.setLong(1, channelId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    writes.add(positions.advance(new UserRef(rs.getString(1), rs.getString(2)), channelId,
                            rs.getLong(3)).toCompletableFuture());
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("reading the members of channel " + channelId + " failed", e);
        }
        join(writes);
    }

    /** Each finished channel: its head and its number of entries on Cassandra equal its last sequence in the source. */
    private List<String> verify(List<long[]> channels) {
        List<String> out = new ArrayList<>();
        for (long[] c : channels) {
            long head = log.head(c[0]);
            long count = log.count(c[0], c[1]);
            if (head != c[1] || count != c[1]) {
                out.add("channel " + c[0] + ": source " + c[1] + " entries, cassandra head " + head + " and "
                        + count + " entries");
            }
        }
        return out;
    }

    private static void join(List<? extends CompletableFuture<?>> writes) {
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    }
}
