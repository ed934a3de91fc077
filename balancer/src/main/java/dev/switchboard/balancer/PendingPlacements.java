package dev.switchboard.balancer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Placements this instance made that the nodes' heartbeats do not show yet, so that
 * a burst of connects (a drain, a restart) does not all land on the node that looked
 * emptiest a second ago.
 *
 * <p>A placement stays pending until a heartbeat shows it: each newer heartbeat's count
 * over the previous one's absorbs that many of the node's pending placements, oldest
 * first. A newer heartbeat alone proves nothing: a client placed just before it, or one
 * slowed by a loaded machine, has not connected yet, and forgetting it makes the node
 * look emptier than it is (it then takes more than its bound). A placement older than
 * {@code timeout} is forgotten anyway: by then its client has most likely connected (and a
 * beat showed it) or failed and asked again.
 *
 * <p>Errs towards spreading: sessions that close while clients arrive hide the same
 * number of arrivals, which stay pending until the timeout. Per instance: growth that
 * another balancer's placements caused is absorbed here too, so several instances
 * under-count each other's placements a little, never their own twice.
 *
 * <p>Thread-safe; each node's state is guarded by its own monitor (no I/O under it).
 * Time is read from {@code nanoClock} only to age placements, never compared with the
 * nodes' clocks.
 */
final class PendingPlacements {
    /** One node's last heartbeat as seen here, and the placements it does not show yet. */
    private static final class Node {
        long heartbeatAtMs;
        int reported;
        /** When each pending placement was made ({@code nanoClock}), oldest first. */
        final ArrayDeque<Long> placedAtNanos = new ArrayDeque<>();

        Node(NodeInfo n) {
            heartbeatAtMs = n.updatedAtMs();
            reported = n.connections();
        }
    }

    private final long timeoutNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Node> nodes = new ConcurrentHashMap<>();

    PendingPlacements(Duration timeout, LongSupplier nanoClock) {
        this.timeoutNanos = RegistryOptions.positive(timeout, "timeout").toNanos();
        this.nanoClock = nanoClock;
    }

    /** Takes in newer heartbeats (absorbing what they show) and forgets nodes that left. */
    void sync(List<NodeInfo> view) {
        for (NodeInfo n : view) {
            Node s = nodes.computeIfAbsent(n.nodeId(), id -> new Node(n));
            synchronized (s) {
                if (n.updatedAtMs() > s.heartbeatAtMs) {
                    int shown = Math.max(0, n.connections() - s.reported);
                    for (int i = 0; i < shown && !s.placedAtNanos.isEmpty(); i++) {
                        s.placedAtNanos.pollFirst();
                    }
                    s.heartbeatAtMs = n.updatedAtMs();
                    s.reported = n.connections();
                }
            }
        }
        if (nodes.size() > view.size()) {
            nodes.keySet().removeIf(id -> view.stream().noneMatch(n -> n.nodeId().equals(id)));
        }
    }

    /** Placements on {@code nodeId} that its heartbeats do not show yet and that are not older than the timeout. */
    int get(String nodeId) {
        Node s = nodes.get(nodeId);
        if (s == null) {
            return 0;
        }
        synchronized (s) {
            expire(s);
            return s.placedAtNanos.size();
        }
    }

    void record(NodeInfo node) {
        Node s = nodes.computeIfAbsent(node.nodeId(), id -> new Node(node));
        synchronized (s) {
            expire(s);
            s.placedAtNanos.addLast(nanoClock.getAsLong());
        }
    }

    private void expire(Node s) {
        long now = nanoClock.getAsLong();
        while (!s.placedAtNanos.isEmpty() && now - s.placedAtNanos.peekFirst() > timeoutNanos) {
            s.placedAtNanos.pollFirst();
        }
    }
}
