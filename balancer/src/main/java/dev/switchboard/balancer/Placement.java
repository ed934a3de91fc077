package dev.switchboard.balancer;

import dev.switchboard.bridge.RendezvousHash;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Organisation-affine placement with bounded load (docs/adr/0004-org-affinity-placement.md).
 *
 * <p>Every organisation ranks the nodes by rendezvous hashing on its id; it goes to
 * the first node of its ranking that stays within its bound after taking the
 * demand, and spills to the next one only when that node is full. The bound of a
 * node is its share of the fleet's load times the load factor {@code c}
 * (capacity-weighted, so that equal nodes get {@code c × average}), never below
 * {@code minShare} and never above the node's capacity. Draining nodes are never
 * chosen, but their connections count towards the fleet's load: they are coming.
 *
 * <p>Pure and deterministic: no clock, no randomness, no I/O, the same answer in
 * every balancer instance for the same registry. Thread-safe (immutable).
 */
public final class Placement {
    public static final double DEFAULT_LOAD_FACTOR = 1.25;

    /**
     * Below this many connections a node is never "overloaded": in a nearly empty fleet
     * {@code c × average} is a handful of connections, and enforcing it would scatter
     * every organisation for no gain.
     */
    public static final int DEFAULT_MIN_SHARE = 100;

    private final double loadFactor;
    private final int minShare;

    public Placement(double loadFactor, int minShare) {
        if (!(loadFactor >= 1.0) || Double.isInfinite(loadFactor)) {
            throw new IllegalArgumentException("loadFactor must be a finite number >= 1.0: " + loadFactor);
        }
        if (minShare < 0) {
            throw new IllegalArgumentException("minShare must not be negative: " + minShare);
        }
        this.loadFactor = loadFactor;
        this.minShare = minShare;
    }

    public double loadFactor() {
        return loadFactor;
    }

    public int minShare() {
        return minShare;
    }

    /** The organisation's first choice and the next ones with room, for a client that cannot reach the first. */
    public record Choice(NodeInfo node, List<NodeInfo> fallbacks) {
        public Choice {
            fallbacks = List.copyOf(fallbacks);
        }
    }

    /** The nodes that may take placements, in the organisation's rendezvous order (best first). */
    public List<NodeInfo> order(String orgId, Collection<NodeInfo> nodes) {
        long key = RendezvousHash.hash(orgId);
        record Scored(NodeInfo node, long score) {
        }
        return nodes.stream()
                .filter(n -> !n.draining())
                .map(n -> new Scored(n, RendezvousHash.score(key, RendezvousHash.hash(n.nodeId()))))
                // Ties are astronomically rare, but the node id settles them so that instances still agree.
                .sorted(Comparator.comparingLong(Scored::score).reversed().thenComparing(s -> s.node().nodeId()))
                .map(Scored::node)
                .toList();
    }

    /** The most connections {@code node} may carry while the fleet carries {@code fleetLoad} on {@code fleetCapacity}. */
    public int limit(NodeInfo node, long fleetLoad, long fleetCapacity) {
        double share = loadFactor * fleetLoad * node.capacity() / Math.max(1, fleetCapacity);
        long bound = Math.max(minShare, (long) Math.ceil(share));
        return (int) Math.min(node.capacity(), bound);
    }

    /**
     * Places one connection of {@code orgId}. The load of a node is its heartbeat's count
     * plus {@code pending} (placements this instance made since that heartbeat).
     *
     * @return empty when no node may take it (none registered, all draining or full)
     */
    public Optional<Choice> choose(String orgId, Collection<NodeInfo> nodes, ToIntFunction<String> pending,
                                   int maxFallbacks) {
        long fleetLoad = 1;
        long fleetCapacity = 0;
        for (NodeInfo n : nodes) {
            fleetLoad += n.connections() + (long) pending.applyAsInt(n.nodeId());
            if (!n.draining()) {
                fleetCapacity += n.capacity();
            }
        }
        List<NodeInfo> candidates = new ArrayList<>(1 + maxFallbacks);
        for (NodeInfo n : order(orgId, nodes)) {
            long load = n.connections() + (long) pending.applyAsInt(n.nodeId());
            if (load + 1 <= limit(n, fleetLoad, fleetCapacity)) {
                candidates.add(n);
                if (candidates.size() > maxFallbacks) {
                    break;
                }
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Choice(candidates.get(0), candidates.subList(1, candidates.size())));
    }
}
