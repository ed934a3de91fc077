package dev.switchboard.message.store.cassandra;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import dev.switchboard.testing.CassandraRing;
import dev.switchboard.wire.chat.EventKind;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Reads leave no part of a log entry on a replica (ADR 0011, "Read repair"). A quorum
 * read that finds replicas differing writes the difference back, but only of the columns
 * it selected and the row's primary key: a read of the bucket's head alone (static, with
 * the first row) wrote rows that had a sequence and nothing else to a node that had missed
 * them, and a later quorum read of two such nodes answered an entry without its kind (a 500
 * in a full run, right after two nodes came back). Every read of the log selects whole rows,
 * so what read repair writes back is whole.
 *
 * <p>The ring has no hinted handoff, so what node 3 holds after it comes back is what
 * the reads wrote to it. Its own ring: the test kills nodes.
 */
class ReadRepairIT {
    private static final long CHANNEL = 42;
    private static final int ENTRIES = 5;

    @Test
    void readsOfTheHeadAndCountsLeaveNoPartialEntriesOnANodeThatMissedThem() {
        try (CassandraRing ring = new CassandraRing(3).withoutHints().start();
             MessageKeyspace ks = MessageKeyspace.open(CassandraOptions.parse(
                     ring.uri("repair_" + Long.toHexString(System.nanoTime() & 0xffffffL))))) {
            ChannelLog log = new ChannelLog(ks);
            ring.kill(3);
            for (long seq = 1; seq <= ENTRIES; seq++) {
                assertNull(log.append(entry(seq), UUID.randomUUID()), "entry " + seq + " appended on nodes 1 and 2");
            }
            ring.kill(2);
            ring.start(3);
            // Every quorum read now asks node 1 (which has the entries) and node 3 (which has none).
            await("a quorum of nodes 1 and 3 answers").atMost(Duration.ofSeconds(60)).ignoreException(DriverException.class)
                    .until(() -> log.head(CHANNEL) == ENTRIES);
            List<Row> onNode3 = onNode(ks.session(), 3, "SELECT seq, kind, text FROM " + ks.options().keyspace()
                    + ".channel_log WHERE channel_id = " + CHANNEL + " AND bucket = 0");
            assertEquals(1L, onNode3.isEmpty() ? 0 : onNode3.getFirst().getLong("seq"),
                    "the read of the head repaired node 3 with the bucket's first row");
            for (Row r : onNode3) {
                assertTrue(r.getString("kind") != null && r.getString("text") != null,
                        "node 3 holds entry " + r.getLong("seq") + " only in part: kind " + r.getString("kind")
                                + ", text " + r.getString("text"));
            }
            assertEquals(ENTRIES, log.count(CHANNEL, ENTRIES));
            List<Long> read = new ArrayList<>();
            log.after(CHANNEL, 0, 10).forEach(e -> read.add(e.seq()));
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), read, "history read through nodes 1 and 3");

        }
    }

    private static LogEntry entry(long seq) {
        return new LogEntry(CHANNEL, seq, EventKind.MESSAGE, 1000 + seq, "ana", "text " + seq, null, "c" + seq,
                Instant.now(), null, 0, false, List.of());
    }

    /** The rows node {@code i} itself holds: read at ONE from it alone, which repairs nothing. */
    private static List<Row> onNode(CqlSession session, int i, String cql) {
        InetSocketAddress address = new InetSocketAddress(CassandraRing.address(i), 0);
        Node node = session.getMetadata().getNodes().values().stream()
                .filter(n -> n.getEndPoint().resolve() instanceof InetSocketAddress a
                        && a.getAddress().equals(address.getAddress()))
                .findFirst().orElseThrow();
        return session.execute(SimpleStatement.newInstance(cql).setNode(node)
                .setConsistencyLevel(DefaultConsistencyLevel.ONE)).all();
    }
}
