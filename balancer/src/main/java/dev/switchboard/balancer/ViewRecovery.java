package dev.switchboard.balancer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Bridges the registry across a Redis outage or restart (issue #15, item 9). A
 * restarted Redis comes back empty: its first reads list only the edge nodes
 * that have beaten since, so a view built from them alone would turn clients
 * away ({@code NO_NODE}) or crowd the few nodes back while the rest are alive and
 * about to re-register. So once the registry's connection dropped or a read
 * failed, the next successful reads are merged with the last good view: a node
 * of the last good view that is missing from a fresh read stays (with its last
 * record) until every one of them is back (the fresh view is complete) or
 * {@code grace} has passed since Redis answered again, one registry TTL: a node
 * that has not beaten by then is gone. Nodes in the fresh read always win.
 * Used by one thread at a time ({@link NodeRegistry}'s refresh).
 */
final class ViewRecovery {
    private final long graceNanos;
    private List<NodeInfo> lastGood = List.of();
    private boolean lost;
    private long recoveringSince = -1;

    ViewRecovery(java.time.Duration grace) {
        this.graceNanos = grace.toNanos();
    }

    /** The registry could not be read, or its connection dropped: the next views are held against the last good one. */
    synchronized void lost() {
        lost = true;
    }

    /** Whether views are being merged with the last good one now. */
    synchronized boolean recovering() {
        return lost || recoveringSince >= 0;
    }

    /** The view to publish for a successful read of {@code fresh} at {@code nowNanos}. */
    synchronized List<NodeInfo> view(List<NodeInfo> fresh, long nowNanos) {
        if (lost) {
            lost = false;
            recoveringSince = nowNanos;
        }
        if (recoveringSince < 0) {
            lastGood = fresh;
            return fresh;
        }
        Set<String> present = new HashSet<>();
        fresh.forEach(n -> present.add(n.nodeId()));
        List<NodeInfo> missing = lastGood.stream().filter(n -> !present.contains(n.nodeId())).toList();
        if (missing.isEmpty() || nowNanos - recoveringSince >= graceNanos) {
            recoveringSince = -1;
            lastGood = fresh;
            return fresh;
        }
        List<NodeInfo> merged = new ArrayList<>(fresh);
        merged.addAll(missing);
        merged.sort(Comparator.comparing(NodeInfo::nodeId));
        return merged;
    }
}
