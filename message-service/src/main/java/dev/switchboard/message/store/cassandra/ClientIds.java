package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code client_ids} table: a sender's idempotency key in a channel,
 * claimed with a lightweight transaction before the message is written. The
 * claim's {@code floor} is a channel head read before the claim existed, so a
 * message with this key, written by whoever holds the claim, has a higher
 * sequence: a retry that finds the claim without a sequence searches the log
 * above the floor (see {@link ChannelAppender}).
 */
final class ClientIds {
    /** Messages' keys (client_msg_id). */
    static final String MESSAGES = "client_ids";
    /** Keys of edits, deletes and reactions: a client may use one key for a message and for an event. */
    static final String EVENTS = "event_client_ids";
    private static final int CLAIM_ATTEMPTS = 4;
    private final CqlSession session;
    private final PreparedStatement claim;
    private final PreparedStatement complete;
    private final PreparedStatement copy;

    ClientIds(MessageKeyspace ks, String name) {
        this.session = ks.session();
        String table = ks.table(name);
        this.claim = session.prepare("INSERT INTO " + table + " (channel_id, sender, client_msg_id, claim_id, floor)"
                + " VALUES (?, ?, ?, ?, ?) IF NOT EXISTS");
        this.copy = session.prepare("INSERT INTO " + table + " (channel_id, sender, client_msg_id, floor, seq)"
                + " VALUES (?, ?, ?, ?, ?)");
        this.complete = session.prepare("UPDATE " + table + " SET seq = ? WHERE channel_id = ? AND sender = ?"
                + " AND client_msg_id = ?");
    }

    /**
     * Claims the key with {@code floor}, or answers the claim that exists (with its floor
     * and seq). A claim whose outcome was unknown (Paxos contention between a client's
     * racing retries, a timeout) is tried again: if the first try was applied after all,
     * the next one finds it as an existing claim, which is handled the same way. Each
     * further try waits a random while first, longer each time: racing claims of one key
     * that all tried again at once would contend again (a CI run under load saw all four
     * tries of one claim time out at LOCAL_SERIAL).
     */
    Claim claim(long channelId, String sender, String clientMsgId, long floor) {
        for (int attempt = 1; ; attempt++) {
            ResultSet rs;
            try {
                rs = session.execute(claim.bind(channelId, sender, clientMsgId, UUID.randomUUID(), floor));
            } catch (DriverException e) {
                if (attempt >= CLAIM_ATTEMPTS || !(CassandraErrors.outcomeUnknown(e) || CassandraErrors.neverSent(e))) {
                    throw e;
                }
                backOff(attempt);
                continue;
            }
            if (rs.wasApplied()) {
                return new Claim(true, floor, null);
            }
            Row r = rs.one();
            return new Claim(false, r.getLong("floor"), r.isNull("seq") ? null : r.getLong("seq"));
        }
    }

    /** Up to 50, 100, 200 ms after the first, second, third try; on the store's blocking threads, never a loop. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(25L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records the sequence the key's message has (the only value it can ever have, so a plain write). */
    CompletionStage<AsyncResultSet> complete(long channelId, String sender, String clientMsgId, long seq) {
        return session.executeAsync(complete.bind(seq, channelId, sender, clientMsgId).setIdempotent(true));
    }

    /** A completed claim for a key whose entry another store sequenced at {@code seq} (the migration). */
    CompletionStage<AsyncResultSet> copy(long channelId, String sender, String clientMsgId, long seq) {
        return session.executeAsync(copy.bind(channelId, sender, clientMsgId, seq - 1, seq).setIdempotent(true));
    }

    /** A claim: whether this call made it, the floor, and the sequence once known. */
    record Claim(boolean mine, long floor, Long seq) {
    }
}
