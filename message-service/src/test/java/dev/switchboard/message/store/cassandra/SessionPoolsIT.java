package dev.switchboard.message.store.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.NodeUnavailableException;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.servererrors.DefaultWriteType;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import dev.switchboard.testing.CassandraRing;
import dev.switchboard.testing.SharedCassandraRing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A store's session is connected to every node of a real ring once it opens,
 * and the driver's failures are told apart by whether any node executed the
 * request (CassandraChatStoreIT's racing processes once failed in CI on a fresh
 * session that had no pooled connection yet: "no connection was available").
 */
@ExtendWith(SharedCassandraRing.class)
class SessionPoolsIT {
    @Test
    void aFreshlyOpenedKeyspaceHasAPooledConnectionToEveryNode(CassandraRing ring) {
        for (int i = 0; i < 3; i++) {
            try (MessageKeyspace ks = MessageKeyspace.open(ProbeKeyspace.options(ring))) {
                assertEquals(List.of(), SessionPools.missing(ks.session()));
                int open = 0;
                for (Node node : ks.session().getMetadata().getNodes().values()) {
                    assertTrue(node.getOpenConnections() >= 1, node + " has a connection");
                    open += node.getOpenConnections();
                }
                assertEquals(ring.size() + 1, open, "one pooled connection per node and the control connection");
            }
        }
    }

    @Test
    void aRequestNoNodeExecutedIsKnownNotApplied(CassandraRing ring) {
        try (MessageKeyspace ks = MessageKeyspace.open(ProbeKeyspace.options(ring))) {
            List<Node> nodes = List.copyOf(ks.session().getMetadata().getNodes().values());
            Node a = nodes.get(0);
            Node b = nodes.get(1);
            AllNodesFailedException noConnection = AllNodesFailedException.fromErrors(List.of(
                    Map.entry(a, new NodeUnavailableException(a)), Map.entry(b, new NodeUnavailableException(b))));
            assertTrue(CassandraErrors.neverSent(noConnection));
            assertTrue(CassandraErrors.neverExecuted(noConnection));
            assertFalse(CassandraErrors.outcomeUnknown(noConnection), "sent nowhere: not applied");

            AllNodesFailedException refused = AllNodesFailedException.fromErrors(List.of(
                    Map.entry(a, new UnavailableException(a, DefaultConsistencyLevel.LOCAL_QUORUM, 2, 1)),
                    Map.entry(b, new NodeUnavailableException(b))));
            assertFalse(CassandraErrors.neverSent(refused), "a coordinator had it");
            assertTrue(CassandraErrors.neverExecuted(refused));
            assertFalse(CassandraErrors.outcomeUnknown(refused));

            AllNodesFailedException maybeApplied = AllNodesFailedException.fromErrors(List.of(
                    Map.entry(a, new NodeUnavailableException(a)),
                    Map.entry(b, new WriteTimeoutException(b, DefaultConsistencyLevel.LOCAL_SERIAL, 1, 2,
                            DefaultWriteType.CAS))));
            assertFalse(CassandraErrors.neverExecuted(maybeApplied));
            assertTrue(CassandraErrors.outcomeUnknown(maybeApplied), "a coordinator may have applied it");

            assertEquals("not enough replicas alive (LOCAL_QUORUM needs 2, 1 alive)", CassandraErrors.reason(refused),
                    "the coordinator's refusal, wrapped by the driver, is what the 503 says");
            assertTrue(CassandraErrors.reason(noConnection).startsWith("no connection to any live node ("),
                    CassandraErrors.reason(noConnection));

            assertTrue(CassandraErrors.neverSent(new NoNodeAvailableException()));
            assertFalse(CassandraErrors.outcomeUnknown(new NoNodeAvailableException()));
        }
    }
}
