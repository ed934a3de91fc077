package dev.switchboard.balancer;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Placements this instance made that the nodes' heartbeats do not show yet, so that
 * a burst of connects (a drain, a restart) does not all land on the node that looked
 * emptiest a second ago. A node's count starts again from zero when a newer heartbeat
 * arrives, which by then includes most of those clients. Per instance: several
 * balancers each add their own, which only errs towards spreading.
 */
final class PendingPlacements {
    private record Entry(long heartbeatAtMs, int count) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** Forgets what newer heartbeats already show, and nodes that left. */
    void sync(List<NodeInfo> nodes) {
        for (NodeInfo n : nodes) {
            entries.compute(n.nodeId(), (id, e) -> e == null || e.heartbeatAtMs() < n.updatedAtMs()
                    ? new Entry(n.updatedAtMs(), 0) : e);
        }
        if (entries.size() > nodes.size()) {
            entries.keySet().removeIf(id -> nodes.stream().noneMatch(n -> n.nodeId().equals(id)));
        }
    }

    int get(String nodeId) {
        Entry e = entries.get(nodeId);
        return e == null ? 0 : e.count();
    }

    void record(NodeInfo node) {
        entries.merge(node.nodeId(), new Entry(node.updatedAtMs(), 1),
                (old, one) -> new Entry(old.heartbeatAtMs(), old.count() + 1));
    }
}
