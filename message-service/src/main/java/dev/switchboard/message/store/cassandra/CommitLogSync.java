package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How each node syncs its commit log ({@code commitlog_sync}, read from the node's
 * {@code system_views.settings}). With {@code periodic}, Cassandra's default, a node
 * acknowledges a write before the commit log section that holds it is synced, and a
 * node that crashes (or is SIGKILLed) replays only what the last sync covered: two of
 * three replicas crashing within the period lose writes that a quorum acknowledged,
 * and with them acknowledged messages and sequences. The store needs {@code group}
 * or {@code batch} (docs/operations.md, "Durability"); it says so when it opens.
 */
final class CommitLogSync {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private CommitLogSync() {
    }

    /** The mode of every node that is up, by address ("unknown" where the node would not say). */
    static Map<String, String> modes(CqlSession session) {
        Map<String, String> modes = new TreeMap<>();
        for (Node node : session.getMetadata().getNodes().values()) {
            if (node.getState() != NodeState.UP) {
                continue;
            }
            String mode;
            try {
                Row row = session.execute(SimpleStatement.newInstance(
                                "SELECT value FROM system_views.settings WHERE name = 'commitlog_sync'")
                        .setNode(node).setConsistencyLevel(ConsistencyLevel.LOCAL_ONE).setIdempotent(true)
                        .setTimeout(TIMEOUT)).one();
                mode = row == null ? "unknown" : row.getString(0);
            } catch (DriverException e) {
                mode = "unknown";
            }
            modes.put(String.valueOf(node.getEndPoint()), mode);
        }
        return modes;
    }

    /** What to tell the operator about {@code modes}, or null when every node syncs before it acknowledges. */
    static String warning(Map<String, String> modes) {
        Map<String, String> periodic = modes.entrySet().stream().filter(e -> "periodic".equals(e.getValue()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        if (periodic.isEmpty()) {
            return null;
        }
        return "Cassandra nodes " + periodic.keySet() + " sync their commit log periodically (commitlog_sync: periodic):"
                + " two replicas that crash within the sync period lose messages a quorum acknowledged;"
                + " set commitlog_sync: group (commitlog_sync_group_window: 10ms) or batch on every node"
                + " (docs/operations.md, Durability)";
    }
}
