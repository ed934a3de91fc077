package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.switchboard.message.UserRef;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Read checkpoints in {@code read_positions}, one partition per user. A
 * checkpoint only moves forward, so each write carries the sequence as its
 * write timestamp: Cassandra keeps the cell with the highest timestamp, which
 * is the highest checkpoint, whatever order concurrent writes arrive in and
 * without a read before the write. A missing row is 0.
 */
final class ReadPositions {
    private final CqlSession session;
    private final PreparedStatement all;
    private final PreparedStatement one;
    private final PreparedStatement advance;

    ReadPositions(MessageKeyspace ks) {
        this.session = ks.session();
        String table = ks.table("read_positions");
        this.all = ks.prepareRead("SELECT channel_id, last_read_seq FROM " + table + " WHERE org = ? AND user_id = ?");
        this.one = ks.prepareRead("SELECT last_read_seq FROM " + table
                + " WHERE org = ? AND user_id = ? AND channel_id = ?");
        this.advance = session.prepare("UPDATE " + table + " USING TIMESTAMP ? SET last_read_seq = ?"
                + " WHERE org = ? AND user_id = ? AND channel_id = ?");
    }

    /** Every checkpoint of the user, by channel id. */
    Map<Long, Long> of(UserRef user) {
        Map<Long, Long> out = new HashMap<>();
        for (Row r : session.execute(all.bind(user.org(), user.userId()))) {
            out.put(r.getLong(0), r.getLong(1));
        }
        return out;
    }

    long of(UserRef user, long channelId) {
        Row r = session.execute(one.bind(user.org(), user.userId(), channelId)).one();
        return r == null ? 0 : r.getLong(0);
    }

    /** Moves the checkpoint to {@code seq} unless it is already there or beyond. */
    CompletionStage<AsyncResultSet> advance(UserRef user, long channelId, long seq) {
        return session.executeAsync(advance.bind(seq, seq, user.org(), user.userId(), channelId).setIdempotent(true));
    }
}
