package dev.switchboard.balancer;

import dev.switchboard.auth.Ids;
import java.util.Objects;

/**
 * One edge node as its last heartbeat described it (the value of its registry key).
 *
 * @param nodeId      the node's id, unique in the fleet
 * @param url         the public WebSocket URL clients connect to, e.g. {@code wss://edge-3.example.com/ws}
 * @param connections live sessions on the node when it last beat
 * @param capacity    the most sessions the node should carry; placement never goes above it
 * @param draining    true once the node is leaving: it gets no new placements
 * @param updatedAtMs when the heartbeat was written (the node's clock, epoch milliseconds)
 */
public record NodeInfo(String nodeId, String url, int connections, int capacity, boolean draining, long updatedAtMs) {
    public NodeInfo {
        if (!Ids.isValid(nodeId)) {
            throw new IllegalArgumentException("nodeId must be an id of 1-64 [A-Za-z0-9_.-]: " + nodeId);
        }
        Objects.requireNonNull(url, "url");
        if (connections < 0) {
            throw new IllegalArgumentException("connections must not be negative: " + connections);
        }
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
    }

    /** The same node carrying {@code n} connections (simulations and plans). */
    public NodeInfo withConnections(int n) {
        return new NodeInfo(nodeId, url, n, capacity, draining, updatedAtMs);
    }
}
