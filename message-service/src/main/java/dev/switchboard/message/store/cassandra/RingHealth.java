package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;

/**
 * Whether the session can reach a LOCAL_QUORUM of the keyspace's replicas: the
 * nodes of the local datacenter that the driver sees up and holds a connection
 * to, against {@code rf / 2 + 1}. It reads the driver's metadata only (no request),
 * so it answers at once and may run on an event loop. It cannot tell which nodes
 * replicate which partition: with more nodes than {@code rf}, enough connected
 * nodes does not prove every partition has a quorum.
 */
final class RingHealth {
    private RingHealth() {
    }

    /** Null when enough nodes are connected, or why not, naming Cassandra. */
    static String check(CqlSession session, String datacenter, int replicationFactor) {
        int quorum = replicationFactor / 2 + 1;
        int nodes = 0;
        int connected = 0;
        for (Node node : session.getMetadata().getNodes().values()) {
            if (!datacenter.equals(node.getDatacenter())) {
                continue;
            }
            nodes++;
            if (node.getState() == NodeState.UP && node.getOpenConnections() > 0) {
                connected++;
            }
        }
        if (connected >= quorum) {
            return null;
        }
        return "Cassandra: connected to " + connected + " of " + nodes + " nodes in " + datacenter
                + ", LOCAL_QUORUM of rf " + replicationFactor + " needs " + quorum;
    }
}
