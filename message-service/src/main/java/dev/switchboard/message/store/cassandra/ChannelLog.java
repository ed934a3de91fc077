package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.switchboard.wire.chat.EventKind;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * The {@code channel_log} table: sequence {@code s} of a channel lives in
 * partition {@code (channel_id, (s - 1) / bucketSize)}, so no partition holds
 * more than bucketSize rows. Appending is one conditional batch in one
 * partition (Paxos): "set head to s if head is s - 1, and insert row s".
 * Reads walk buckets: forward while a bucket is full, backward down to bucket 0.
 * Every entry of the channel's log is a row: messages and the edits, deletes and
 * reactions that changed them ({@link LogEntry}, ADR 0013).
 */
final class ChannelLog {
    /** What {@link #append} answers when it was not applied and the partition held no head. */
    static final long UNKNOWN_HEAD = -1;
    private static final String COLUMNS = "seq, message_id, sender, text, attachments, client_msg_id, created_at,"
            + " write_id, kind, emoji, parent_id, also_to_channel, mentions";
    /** Rows read at a time while a page skips entries it does not show (history skips events and thread replies). */
    private static final int SCAN_CHUNK = 100;

    private final CqlSession session;
    private final int bucketSize;
    private final PreparedStatement headOf;
    private final PreparedStatement hint;
    private final PreparedStatement writeHint;
    private final PreparedStatement setHead;
    private final PreparedStatement insert;
    private final PreparedStatement rowAt;
    private final PreparedStatement after;
    private final PreparedStatement before;
    private final PreparedStatement clearText;
    private final PreparedStatement copyHead;
    private final PreparedStatement countBucket;

    ChannelLog(MessageKeyspace ks) {
        this.session = ks.session();
        this.bucketSize = ks.options().bucketSize();
        String log = ks.table("channel_log");
        // The head with the whole first row it is read with: read repair writes back only the columns a read
        // selects (and the row's key), so the head alone left a replica that had missed the row with a bare key,
        // answered later as an entry without its kind (ADR 0011, "Read repair"). Every read here selects whole rows.
        this.headOf = ks.prepareRead("SELECT head, " + COLUMNS + " FROM " + log + " WHERE channel_id = ? AND bucket = ? LIMIT 1");
        this.hint = ks.prepareRead("SELECT bucket FROM " + ks.table("channel_heads") + " WHERE channel_id = ?");
        this.writeHint = session.prepare("UPDATE " + ks.table("channel_heads")
                + " USING TIMESTAMP ? SET bucket = ? WHERE channel_id = ?");
        this.setHead = session.prepare("UPDATE " + log + " SET head = ? WHERE channel_id = ? AND bucket = ? IF head = ?");
        this.insert = session.prepare("INSERT INTO " + log + " (channel_id, bucket, seq, kind, message_id, sender, text,"
                + " attachments, client_msg_id, created_at, write_id, emoji, parent_id, also_to_channel, mentions)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.rowAt = ks.prepareRead("SELECT " + COLUMNS + " FROM " + log
                + " WHERE channel_id = ? AND bucket = ? AND seq = ?");
        this.after = ks.prepareRead("SELECT head, " + COLUMNS + " FROM " + log
                + " WHERE channel_id = ? AND bucket = ? AND seq > ? LIMIT ?");
        this.before = ks.prepareRead("SELECT " + COLUMNS + " FROM " + log
                + " WHERE channel_id = ? AND bucket = ? AND seq < ? ORDER BY seq DESC LIMIT ?");
        this.copyHead = session.prepare("UPDATE " + log + " SET head = ? WHERE channel_id = ? AND bucket = ?");
        this.countBucket = ks.prepareRead("SELECT COUNT(*) FROM " + log + " WHERE channel_id = ? AND bucket = ?");
        this.clearText = session.prepare("UPDATE " + log + " SET text = null, attachments = null, mentions = null"
                + " WHERE channel_id = ? AND bucket = ? AND seq = ?");
    }

    int bucketSize() {
        return bucketSize;
    }

    long bucketOf(long seq) {
        return (seq - 1) / bucketSize;
    }

    /** The channel's last sequence (0 when empty), read at LOCAL_QUORUM: from the hint's bucket, probing forward. */
    long head(long channelId) {
        Row h = session.execute(hint.bind(channelId)).one();
        long bucket = h == null ? 0 : h.getLong(0);
        Long head = headOfBucket(channelId, bucket);
        if (head == null) {
            return bucket * bucketSize; // an empty bucket follows a full one (or the channel is empty)
        }
        while (head == (bucket + 1) * bucketSize) {
            Long next = headOfBucket(channelId, bucket + 1);
            if (next == null) {
                break;
            }
            bucket++;
            head = next;
        }
        return head;
    }

    /** The channel's last sequence, asynchronously (for many channels at once). */
    CompletionStage<Long> headAsync(long channelId) {
        return session.executeAsync(hint.bind(channelId)).thenCompose(rs -> {
            Row h = rs.one();
            long bucket = h == null ? 0 : h.getLong(0);
            return probe(channelId, bucket);
        });
    }

    private CompletionStage<Long> probe(long channelId, long bucket) {
        return session.executeAsync(headOf.bind(channelId, bucket)).thenCompose(rs -> {
            Row r = rs.one();
            if (r == null || r.isNull(0)) {
                return CompletableFuture.completedFuture(bucket * bucketSize);
            }
            long head = r.getLong(0);
            if (head < (bucket + 1) * bucketSize) {
                return CompletableFuture.completedFuture(head);
            }
            return probe(channelId, bucket + 1).thenApply(next -> Math.max(head, next));
        });
    }

    private Long headOfBucket(long channelId, long bucket) {
        Row r = session.execute(headOf.bind(channelId, bucket)).one();
        return r == null || r.isNull(0) ? null : r.getLong(0);
    }

    /**
     * Appends {@code e} at {@code e.seq()} if the channel's head is {@code e.seq() - 1}:
     * null if applied, else the head the partition holds (the first sequence of a bucket
     * expects an empty partition). Throws what the driver throws: a timeout leaves the
     * outcome unknown until {@link #serialRow} decides it.
     */
    Long append(LogEntry e, UUID writeId) {
        long seq = e.seq();
        long bucket = bucketOf(seq);
        boolean firstOfBucket = (seq - 1) % bucketSize == 0;
        BatchStatement batch = BatchStatement.builder(DefaultBatchType.UNLOGGED)
                .addStatement(setHead.bind(seq, e.channelId(), bucket, firstOfBucket ? null : seq - 1))
                .addStatement(insert.bind(e.channelId(), bucket, seq, e.kind().wireName(), e.messageId(), e.actor(),
                        e.text(), e.attachments(), e.clientId(), e.createdAt(), writeId, e.emoji(),
                        e.parentId() == 0 ? null : e.parentId(), e.alsoToChannel() ? Boolean.TRUE : null,
                        e.mentions().isEmpty() ? null : e.mentions()))
                .build();
        ResultSet rs = session.execute(batch);
        if (rs.wasApplied()) {
            return null;
        }
        // Not applied: the answer holds the partition's head, or only [applied] when no replica of the
        // serial read had the partition (seen right after two nodes restarted): both "no head here".
        Row r = rs.one();
        return r == null || !r.getColumnDefinitions().contains("head") || r.isNull("head") ? UNKNOWN_HEAD
                : r.getLong("head");
    }

    /**
     * Writes {@code e} as it is, without a condition: for copying a log that another store
     * sequenced (the migration from PostgreSQL, while nothing else writes the channel).
     * Rewriting an entry writes the same row again.
     */
    CompletionStage<AsyncResultSet> copy(LogEntry e) {
        return session.executeAsync(insert.bind(e.channelId(), bucketOf(e.seq()), e.seq(), e.kind().wireName(),
                e.messageId(), e.actor(), e.text(), e.attachments(), e.clientId(), e.createdAt(), null, e.emoji(),
                e.parentId() == 0 ? null : e.parentId(), e.alsoToChannel() ? Boolean.TRUE : null,
                e.mentions().isEmpty() ? null : e.mentions()).setIdempotent(true));
    }

    /** Sets the head of the bucket of {@code seq} to {@code seq} without a condition (see {@link #copy}). */
    CompletionStage<AsyncResultSet> copyHead(long channelId, long seq) {
        return session.executeAsync(copyHead.bind(seq, channelId, bucketOf(seq)).setIdempotent(true));
    }

    /** How many entries the channel's log holds up to {@code head} (counted bucket by bucket). */
    long count(long channelId, long head) {
        long n = 0;
        for (long bucket = 0; head > 0 && bucket <= bucketOf(head); bucket++) {
            n += session.execute(countBucket.bind(channelId, bucket)).one().getLong(0);
        }
        return n;
    }

    /** Records that the channel's newest bucket is {@code bucket} (only ever moves forward). */
    CompletionStage<AsyncResultSet> hintBucket(long channelId, long bucket) {
        return session.executeAsync(writeHint.bind(bucket + 1, bucket, channelId).setIdempotent(true));
    }

    /**
     * The row at {@code seq}, read at LOCAL_SERIAL: a Paxos round that finishes any
     * accepted proposal for the partition and fences older ones, so a write whose
     * outcome was unknown is decided once this returns (present, or never).
     */
    Stored serialRow(long channelId, long seq) {
        Row r = session.execute(rowAt.bind(channelId, bucketOf(seq), seq)
                .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_SERIAL)).one();
        return r == null ? null : stored(channelId, r, 0);
    }

    /** The entry at {@code seq}, or null. */
    LogEntry at(long channelId, long seq) {
        Row r = session.execute(rowAt.bind(channelId, bucketOf(seq), seq)).one();
        return r == null ? null : stored(channelId, r, 0).entry();
    }

    /** The entry at {@code seq}, asynchronously (null when there is none). */
    CompletionStage<LogEntry> atAsync(long channelId, long seq) {
        return session.executeAsync(rowAt.bind(channelId, bucketOf(seq), seq)).thenApply(rs -> {
            Row r = rs.one();
            return r == null ? null : stored(channelId, r, 0).entry();
        });
    }

    /**
     * Takes a deleted message's words out of the log: the text, attachments and mentions of
     * its own entry or of an edit of it (ADR 0013: a tombstone keeps nothing of the message).
     */
    CompletionStage<AsyncResultSet> clearText(long channelId, long seq) {
        return session.executeAsync(clearText.bind(channelId, bucketOf(seq), seq).setIdempotent(true));
    }

    /** Up to {@code n} entries above {@code afterSeq}, oldest first, across buckets. */
    List<LogEntry> after(long channelId, long afterSeq, int n) {
        List<LogEntry> out = new ArrayList<>(Math.min(n, 256));
        long bucket = afterSeq / bucketSize; // the bucket of afterSeq + 1
        while (out.size() < n) {
            Long head = null;
            for (Row r : session.execute(after.bind(channelId, bucket, afterSeq, n - out.size()))) {
                head = r.isNull(0) ? head : Long.valueOf(r.getLong(0));
                if (!r.isNull(1)) {
                    out.add(stored(channelId, r, 1).entry());
                }
            }
            // Only a full bucket has a successor; an empty answer means nothing more here.
            if (head == null || head != (bucket + 1) * bucketSize) {
                break;
            }
            bucket++;
        }
        return out;
    }

    /**
     * Up to {@code n} entries that {@code keep} accepts below {@code beforeSeq} (exclusive), newest
     * first, across buckets down to bucket 0; the others are read and skipped. {@code head}: the
     * channel's head as the caller read it.
     */
    List<LogEntry> before(long channelId, long beforeSeq, int n, Predicate<LogEntry> keep, long head) {
        List<LogEntry> out = new ArrayList<>(Math.min(n, 256));
        long below = Math.min(beforeSeq, head + 1);
        if (below <= 1) {
            return out;
        }
        long bucket = bucketOf(below - 1);
        while (out.size() < n && bucket >= 0) {
            int ask = Math.max(n - out.size(), SCAN_CHUNK);
            int read = 0;
            for (Row r : session.execute(before.bind(channelId, bucket, below, ask))) {
                LogEntry e = stored(channelId, r, 0).entry();
                read++;
                below = e.seq();
                if (keep.test(e) && out.size() < n) {
                    out.add(e);
                }
            }
            if (read < ask) {
                bucket--; // this bucket is read down to its first row
            }
        }
        return out;
    }

    private static Stored stored(long channelId, Row r, int at) {
        LogEntry e = new LogEntry(channelId, r.getLong(at), EventKind.of(r.getString(at + 8)), r.getLong(at + 1),
                r.getString(at + 2), r.getString(at + 3), r.getString(at + 4), r.getString(at + 5),
                r.getInstant(at + 6), r.getString(at + 9), r.isNull(at + 10) ? 0 : r.getLong(at + 10),
                !r.isNull(at + 11) && r.getBoolean(at + 11), r.getList(at + 12, String.class));
        return new Stored(e, r.getUuid(at + 7));
    }

    /** A row of the log and the id of the write attempt that stored it. */
    record Stored(LogEntry entry, UUID writeId) {
    }
}
