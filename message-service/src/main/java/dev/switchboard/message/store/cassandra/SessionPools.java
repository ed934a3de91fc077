package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.loadbalancing.NodeDistance;
import com.datastax.oss.driver.api.core.metadata.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a driver session holds its pooled connections to every node, and a
 * bounded wait for it when the store opens.
 *
 * <p>Why: a session is returned once each pool has <em>tried</em> to connect, not
 * once it has. A pool whose first connection failed (a node slow to answer the
 * handshake on a loaded machine) reconnects in the background; meanwhile a node
 * that also carries the control connection stays UP in the driver's view (the
 * control connection counts as an open connection), so it stays in query plans
 * and every request to it fails at once with {@code NodeUnavailableException}
 * ("no connection was available"); if the other nodes are not connected yet
 * either, the request fails on every node without having been sent. A
 * message-service therefore opens its store only once the pools are up, or
 * after a bound (a node may really be down: a quorum is enough), saying which
 * nodes it has no connection to.
 *
 * <p>The driver's public API counts connections per node without telling pooled
 * ones from the control connection; so the session is connected when every
 * node has its pool's wanted count and the total is one more (the control
 * connection, on one of them).
 */
final class SessionPools {
    private static final Logger log = LoggerFactory.getLogger(SessionPools.class);
    private static final long POLL_MS = 25;

    private SessionPools() {
    }

    /** Whether every node the session uses holds its pooled connections. */
    static boolean connected(CqlSession session) {
        return missing(session).isEmpty();
    }

    /** The nodes whose pool lacks connections, by address (empty when connected). */
    static List<String> missing(CqlSession session) {
        DriverExecutionProfile config = session.getContext().getConfig().getDefaultProfile();
        Collection<Node> nodes = session.getMetadata().getNodes().values();
        List<String> missing = new ArrayList<>();
        int wanted = 1; // the control connection
        int open = 0;
        for (Node node : nodes) {
            open += node.getOpenConnections();
            int size = poolSize(config, node.getDistance());
            wanted += size;
            if (node.getOpenConnections() < size) {
                missing.add(node.getEndPoint().toString());
            }
        }
        if (missing.isEmpty() && open < wanted) {
            // Every node has a connection, but one of them is only the control connection.
            missing.add("one node (" + open + " of " + wanted + " connections open)");
        }
        return missing;
    }

    private static int poolSize(DriverExecutionProfile config, NodeDistance distance) {
        return switch (distance) {
            case LOCAL -> config.getInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE);
            case REMOTE -> config.getInt(DefaultDriverOption.CONNECTION_POOL_REMOTE_SIZE);
            case IGNORED -> 0;
        };
    }

    /**
     * Waits up to {@code bound} for {@link #connected}; answers whether it is. Past the
     * bound the session is used as it is (requests go to the nodes it is connected to),
     * with a warning naming the others.
     */
    static boolean await(CqlSession session, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        List<String> missing = missing(session);
        while (!missing.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            missing = missing(session);
        }
        if (!missing.isEmpty()) {
            log.warn("no connection to {} of the Cassandra ring after {} ms: requests go to the other nodes"
                    + " until the driver reconnects", missing, bound.toMillis());
        }
        return missing.isEmpty();
    }
}
