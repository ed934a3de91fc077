package dev.switchboard.edge.presence;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Where presence leases live: Redis for a fleet, memory for one node. A user
 * is online while any of their leases is unexpired; a node renews its
 * sessions' leases, and a node that dies stops renewing, so its users go
 * offline by themselves within the lease TTL.
 */
public interface PresenceStore extends AutoCloseable {

    /** Adds or renews a lease; completes with true when it is the user's only live lease (they came online). */
    CompletableFuture<Boolean> opened(Lease lease);

    /** Removes a lease; completes with true when the user has no live lease left (they went offline). */
    CompletableFuture<Boolean> closed(Lease lease);

    /** Renews leases (a node's sessions), in one batch. */
    CompletableFuture<Void> renew(List<Lease> leases);

    /** The subset of {@code users} of {@code org} with a live lease. */
    CompletableFuture<Set<String>> online(String org, Collection<String> users);

    /**
     * When each of {@code users} of {@code org} was last online, as epoch milliseconds: the moment their last
     * live lease ended (closed, or, for a node that died, the lease's last renewal). Users never seen going
     * offline are absent; a user online now may still have an entry from an earlier session.
     */
    CompletableFuture<Map<String, Long>> lastSeen(String org, Collection<String> users);

    /**
     * Removes up to {@code max} expired leases (of nodes that died) and returns the
     * users who thereby went offline. Safe to call from every node: each expired
     * lease is reported by exactly one caller.
     */
    CompletableFuture<List<Lease>> reapExpired(int max);

    @Override
    void close();
}
