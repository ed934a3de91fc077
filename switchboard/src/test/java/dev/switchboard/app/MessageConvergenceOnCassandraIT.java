package dev.switchboard.app;

import dev.switchboard.message.store.cassandra.CassandraOptions;
import dev.switchboard.testing.CassandraRing;
import dev.switchboard.testing.SharedCassandraRing;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The convergence must-show of issue #17 with messages on the three-node Cassandra
 * ring (ADR 0011): the same 200 mixed events, the same away-and-back client through
 * the other edge, the same comparison with a fresh history load and the stored unread
 * and mention counts, on a message-service whose channel logs live in Cassandra
 * (users, channels and memberships in PostgreSQL).
 */
@ExtendWith(SharedCassandraRing.class)
class MessageConvergenceOnCassandraIT extends MessageConvergenceIT {

    /** Hides the PostgreSQL fleet of the superclass: this class starts its own below. */
    @BeforeAll
    static void start() {
    }

    @BeforeAll
    static void startOnCassandra(CassandraRing ring) throws Exception {
        fleet = new Fleet(2, CassandraOptions.parse(ring.uri("convergence_" + Long.toHexString(System.nanoTime()
                & 0xffffffL)) + "&bucket=50"));
        for (String u : List.of("alice", "bob", "carol")) {
            fleet.createUser("acme", u);
        }
    }
}
