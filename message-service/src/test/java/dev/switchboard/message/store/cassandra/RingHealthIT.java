package dev.switchboard.message.store.cassandra;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.CassandraRing;
import dev.switchboard.testing.SharedCassandraRing;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The health of the message backend follows the nodes the session is connected to:
 * a node SIGKILLed leaves 2 of 3, enough for LOCAL_QUORUM at rf 3 but not at rf 5
 * (asked for directly: a keyspace with rf 5 on a 3-node ring could not be written).
 */
@ExtendWith(SharedCassandraRing.class)
class RingHealthIT {
    @Test
    void aKilledNodeIsSeenAgainstTheQuorum(CassandraRing ring) {
        CassandraOptions options = ProbeKeyspace.options(ring);
        try (MessageKeyspace ks = MessageKeyspace.open(options)) {
            String dc = options.datacenter();
            assertNull(RingHealth.check(ks.session(), dc, 3));
            assertNull(RingHealth.check(ks.session(), dc, 5), "3 connected, a quorum of 5 is 3");
            String tooMany = RingHealth.check(ks.session(), dc, 7);
            assertTrue(tooMany != null && tooMany.startsWith("Cassandra: connected to 3 of 3 nodes")
                    && tooMany.endsWith("needs 4"), tooMany);

            ring.kill(3);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> RingHealth.check(ks.session(), dc, 5) != null);
                assertTrue(RingHealth.check(ks.session(), dc, 5).startsWith("Cassandra: connected to 2 of 3 nodes"));
                assertNull(RingHealth.check(ks.session(), dc, 3), "2 of 3 is still a quorum at rf 3");
            } finally {
                ring.start(3);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> RingHealth.check(ks.session(), dc, 5) == null);
        }
    }
}
