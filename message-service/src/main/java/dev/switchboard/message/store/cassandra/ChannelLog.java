package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.switchboard.message.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code channel_log} table: sequence {@code s} of a channel lives in
 * partition {@code (channel_id, (s - 1) / bucketSize)}, so no partition holds
 * more than bucketSize rows. Appending is one conditional batch in one
 * partition (Paxos): "set head to s if head is s - 1, and insert row s".
 * Reads walk buckets: forward while a bucket is full, backward down to bucket 0.
 */
final class ChannelLog {
    static final String KIND_MESSAGE = "message";
    /** What {@link #append} answers when it was not applied and the partition held no head. */
    static final long UNKNOWN_HEAD = -1;
    private static final String COLUMNS = "seq, message_id, sender, text, attachments, client_msg_id, created_at, write_id";

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

    ChannelLog(MessageKeyspace ks) {
        this.session = ks.session();
        this.bucketSize = ks.options().bucketSize();
        String log = ks.table("channel_log");
        this.headOf = session.prepare("SELECT head FROM " + log + " WHERE channel_id = ? AND bucket = ? LIMIT 1");
        this.hint = session.prepare("SELECT bucket FROM " + ks.table("channel_heads") + " WHERE channel_id = ?");
        this.writeHint = session.prepare("UPDATE " + ks.table("channel_heads")
                + " USING TIMESTAMP ? SET bucket = ? WHERE channel_id = ?");
        this.setHead = session.prepare("UPDATE " + log + " SET head = ? WHERE channel_id = ? AND bucket = ? IF head = ?");
        this.insert = session.prepare("INSERT INTO " + log + " (channel_id, bucket, seq, kind, message_id, sender, text,"
                + " attachments, client_msg_id, created_at, write_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.rowAt = session.prepare("SELECT " + COLUMNS + " FROM " + log
                + " WHERE channel_id = ? AND bucket = ? AND seq = ?");
        this.after = session.prepare("SELECT head, " + COLUMNS + " FROM " + log
                + " WHERE channel_id = ? AND bucket = ? AND seq > ? LIMIT ?");
        this.before = session.prepare("SELECT " + COLUMNS + " FROM " + log
                + " WHERE channel_id = ? AND bucket = ? AND seq < ? ORDER BY seq DESC LIMIT ?");
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
     * Appends {@code m} at {@code m.seq()} if the channel's head is {@code m.seq() - 1}:
     * null if applied, else the head the partition holds (the first sequence of a bucket
     * expects an empty partition). Throws what the driver throws: a timeout leaves the
     * outcome unknown until {@link #serialRow} decides it.
     */
    Long append(Message m, UUID writeId) {
        long seq = m.seq();
        long bucket = bucketOf(seq);
        boolean firstOfBucket = (seq - 1) % bucketSize == 0;
        BatchStatement batch = BatchStatement.builder(DefaultBatchType.UNLOGGED)
                .addStatement(setHead.bind(seq, m.channelId(), bucket, firstOfBucket ? null : seq - 1))
                .addStatement(insert.bind(m.channelId(), bucket, seq, KIND_MESSAGE, m.id(), m.sender(), m.text(),
                        m.attachments(), m.clientMsgId(), m.createdAt(), writeId))
                .build();
        ResultSet rs = session.execute(batch);
        if (rs.wasApplied()) {
            return null;
        }
        Row r = rs.one();
        return r == null || r.isNull("head") ? UNKNOWN_HEAD : r.getLong("head");
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

    /** The message at {@code seq}, or null. */
    Message at(long channelId, long seq) {
        Row r = session.execute(rowAt.bind(channelId, bucketOf(seq), seq)).one();
        return r == null ? null : stored(channelId, r, 0).message();
    }

    /** Up to {@code n} messages above {@code afterSeq}, oldest first, across buckets. */
    List<Message> after(long channelId, long afterSeq, int n) {
        List<Message> out = new ArrayList<>(Math.min(n, 256));
        long bucket = afterSeq / bucketSize; // the bucket of afterSeq + 1
        while (out.size() < n) {
            Long head = null;
            for (Row r : session.execute(after.bind(channelId, bucket, afterSeq, n - out.size()))) {
                head = r.isNull(0) ? head : Long.valueOf(r.getLong(0));
                if (!r.isNull(1)) {
                    out.add(stored(channelId, r, 1).message());
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

    /** Up to {@code n} messages below {@code beforeSeq} (exclusive), newest first, across buckets down to bucket 0. */
    List<Message> before(long channelId, long beforeSeq, int n) {
        List<Message> out = new ArrayList<>(Math.min(n, 256));
        long head = head(channelId);
        long below = Math.min(beforeSeq, head + 1);
        if (below <= 1) {
            return out;
        }
        long bucket = bucketOf(below - 1);
        while (out.size() < n && bucket >= 0) {
            for (Row r : session.execute(before.bind(channelId, bucket, below, n - out.size()))) {
                Message m = stored(channelId, r, 0).message();
                out.add(m);
                below = m.seq();
            }
            bucket--;
        }
        return out;
    }

    private static Stored stored(long channelId, Row r, int at) {
        Instant created = r.getInstant(at + 6);
        return new Stored(new Message(r.getLong(at + 1), channelId, r.getLong(at), r.getString(at + 2),
                r.getString(at + 3), r.getString(at + 4), r.getString(at + 5), created), r.getUuid(at + 7));
    }

    /** A row of the log and the id of the write attempt that stored it. */
    record Stored(Message message, UUID writeId) {
    }
}
