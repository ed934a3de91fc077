package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;

/**
 * The node settings the store's guarantees depend on (docs/operations.md, "Durability"),
 * read from each node's {@code system_views.settings} when the store opens, and what to
 * tell the operator about them:
 *
 * <ul>
 *   <li>{@code commitlog_sync}: with {@code periodic}, Cassandra's default, a node
 *       acknowledges a write before the commit log section that holds it is synced, and a
 *       node that crashes (or is SIGKILLed) replays only what the last sync covered: two of
 *       three replicas crashing within the period lose writes that a quorum acknowledged,
 *       and with them acknowledged messages and sequences. The store needs {@code group}
 *       or {@code batch}.</li>
 *   <li>{@code paxos_variant}: with {@code v2}, two acknowledged sends of one channel got
 *       one sequence right after two nodes came back (CassandraNodeKillFaultIT; ADR 0011,
 *       "Paxos variant"); the store is tested on {@code v1}, Cassandra 5.0's default.</li>
 * </ul>
 */
final class NodeSettings {
    static final String COMMITLOG_SYNC = "commitlog_sync";
    static final String PAXOS_VARIANT = "paxos_variant";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private NodeSettings() {
    }

    /** The setting {@code name} of every node that is up, by address ("unknown" where the node would not say). */
    static Map<String, String> read(CqlSession session, String name) {
        Map<String, String> values = new TreeMap<>();
        for (Node node : session.getMetadata().getNodes().values()) {
            if (node.getState() != NodeState.UP) {
                continue;
            }
            String value;
            try {
                Row row = session.execute(SimpleStatement.newInstance(
                                "SELECT value FROM system_views.settings WHERE name = ?", name)
                        .setNode(node).setConsistencyLevel(ConsistencyLevel.LOCAL_ONE).setIdempotent(true)
                        .setTimeout(TIMEOUT)).one();
                value = row == null || row.isNull(0) ? "unknown" : row.getString(0);
            } catch (DriverException e) {
                value = "unknown";
            }
            values.put(String.valueOf(node.getEndPoint()), value);
        }
        return values;
    }

    /** What to tell the operator about the nodes' settings, one line each; empty when every node is as the store needs. */
    static List<String> warnings(CqlSession session) {
        List<String> out = new ArrayList<>(2);
        String sync = commitLogWarning(read(session, COMMITLOG_SYNC));
        if (sync != null) {
            out.add(sync);
        }
        String paxos = paxosWarning(read(session, PAXOS_VARIANT));
        if (paxos != null) {
            out.add(paxos);
        }
        return out;
    }

    /** What to tell the operator about commit log modes, or null when every node syncs before it acknowledges. */
    static String commitLogWarning(Map<String, String> modes) {
        Set<String> periodic = nodesWith(modes, "periodic");
        if (periodic.isEmpty()) {
            return null;
        }
        return "Cassandra nodes " + periodic + " sync their commit log periodically (commitlog_sync: periodic):"
                + " two replicas that crash within the sync period lose messages a quorum acknowledged;"
                + " set commitlog_sync: group (commitlog_sync_group_window: 10ms) or batch on every node"
                + " (docs/operations.md, Durability)";
    }

    /** What to tell the operator about Paxos variants, or null when no node runs v2. */
    static String paxosWarning(Map<String, String> variants) {
        Set<String> v2 = nodesWith(variants, "v2");
        if (v2.isEmpty()) {
            return null;
        }
        return "Cassandra nodes " + v2 + " run Paxos v2 (paxos_variant: v2): in this store's fault test two"
                + " acknowledged sends of one channel got one sequence right after two nodes came back, which"
                + " v1 did not do; set paxos_variant: v1 (Cassandra 5.0's default) on every node"
                + " (docs/operations.md, Durability)";
    }

    private static Set<String> nodesWith(Map<String, String> values, String value) {
        Set<String> nodes = new TreeSet<>();
        values.forEach((node, v) -> {
            if (value.equalsIgnoreCase(v)) {
                nodes.add(node);
            }
        });
        return nodes;
    }
}
