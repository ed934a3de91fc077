package dev.switchboard.balancer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where a known workload (organisations and their sizes) lands under a {@link Placement}:
 * organisation → node → users. It is the placement rule applied one organisation at a
 * time, largest first, so that it shows the layout the rule aims at and lets tests and
 * capacity planning check it (minimum nodes per organisation, load ratio, churn when the
 * fleet changes). The live balancer applies the same rule one connection at a time.
 *
 * <p>An organisation needs {@code k} nodes, the fewest whose bounds hold it; it is cut
 * into {@code k} even parts, and each part goes whole to the first node of the
 * organisation's rendezvous order (not yet used by it) with room for the part. Only if
 * no node has room is a part cut further, over the nodes in order.
 */
public final class Layout {
    private final Map<String, Map<String, Integer>> orgs;
    private final Map<String, Integer> minimumNodes;
    private final Map<String, Integer> loads;
    private final Map<String, Integer> limits;
    private final long unplaced;

    private Layout(Map<String, Map<String, Integer>> orgs, Map<String, Integer> minimumNodes,
                   Map<String, Integer> loads, Map<String, Integer> limits, long unplaced) {
        this.orgs = orgs;
        this.minimumNodes = minimumNodes;
        this.loads = loads;
        this.limits = limits;
        this.unplaced = unplaced;
    }

    /** Lays {@code orgSizes} (organisation id → users) out over the non-draining {@code nodes}, which start empty. */
    public static Layout plan(Placement placement, Map<String, Integer> orgSizes, Collection<NodeInfo> nodes) {
        return build(placement, orgSizes, nodes, null);
    }

    /**
     * Lays the same workload out again after the fleet changed, moving as little as the
     * rule allows. A part of an organisation stays where it is unless its node is gone or
     * draining, a node that joined since {@code previous} now ranks above it in the
     * organisation's order (rendezvous hashing's own move set: the part would go there on
     * reconnect), or its node is above its new bound. Staying parts are counted first, so
     * a displaced part never pushes a staying one out; then displaced parts are placed by
     * the rule, largest organisation first.
     */
    public static Layout replan(Placement placement, Layout previous, Map<String, Integer> orgSizes,
                                Collection<NodeInfo> nodes) {
        return build(placement, orgSizes, nodes, previous);
    }

    private static Layout build(Placement placement, Map<String, Integer> orgSizes, Collection<NodeInfo> nodes,
                                Layout previous) {
        long total = orgSizes.values().stream().mapToLong(Integer::longValue).sum();
        long capacity = nodes.stream().filter(n -> !n.draining()).mapToLong(NodeInfo::capacity).sum();
        Map<String, Integer> limits = new TreeMap<>();
        Map<String, Integer> loads = new TreeMap<>();
        for (NodeInfo n : nodes) {
            if (!n.draining()) {
                limits.put(n.nodeId(), placement.limit(n, total, capacity));
                loads.put(n.nodeId(), 0);
            }
        }
        List<Integer> bySize = new ArrayList<>(limits.values());
        bySize.sort(Collections.reverseOrder());
        Set<String> joined = new HashSet<>(limits.keySet());
        if (previous != null) {
            joined.removeAll(previous.limits.keySet());
        }

        List<String> ids = new ArrayList<>(orgSizes.keySet());
        // Largest first: big organisations need whole nodes, small ones fit in the gaps left.
        ids.sort(Comparator.comparing((String id) -> orgSizes.get(id)).reversed().thenComparing(Comparator.naturalOrder()));
        Map<String, Integer> minimum = new TreeMap<>();
        Map<String, Map<String, Integer>> where = new TreeMap<>();
        for (String org : ids) {
            minimum.put(org, minimumNodes(orgSizes.get(org), bySize));
            Map<String, Integer> kept = new LinkedHashMap<>();
            if (previous != null && previous.orgs.containsKey(org)) {
                List<NodeInfo> order = placement.order(org, nodes);
                previous.orgs.get(org).forEach((node, users) -> {
                    if (stays(node, order, joined) && loads.get(node) + users <= limits.get(node)) {
                        kept.put(node, users);
                        loads.merge(node, users, Integer::sum);
                    }
                });
            }
            where.put(org, kept);
        }
        long unplaced = 0;
        for (String org : ids) {
            Map<String, Integer> placed = where.get(org);
            int rest = orgSizes.get(org) - placed.values().stream().mapToInt(Integer::intValue).sum();
            // A whole organisation is cut into as many even parts as it needs; a displaced remainder moves as one.
            int k = placed.isEmpty() ? minimum.get(org) : 1;
            List<NodeInfo> order = placement.order(org, nodes);
            for (int part = 0; part < k && rest > 0; part++) {
                int demand = rest / (k - part) + (rest % (k - part) > 0 ? 1 : 0);
                int left = put(demand, order, placed, loads, limits);
                unplaced += left;
                rest -= demand;
            }
            where.put(org, Collections.unmodifiableMap(placed));
        }
        return new Layout(Collections.unmodifiableMap(where), Collections.unmodifiableMap(minimum),
                Collections.unmodifiableMap(loads), Collections.unmodifiableMap(limits), unplaced);
    }

    /** Whether a part on {@code node} may stay: the node is placeable and no node that joined ranks above it. */
    private static boolean stays(String node, List<NodeInfo> order, Set<String> joined) {
        for (NodeInfo n : order) {
            if (n.nodeId().equals(node)) {
                return true;
            }
            if (joined.contains(n.nodeId())) {
                return false;
            }
        }
        return false;
    }

    /** Puts one part; returns the users that did not fit anywhere. */
    private static int put(int demand, List<NodeInfo> order, Map<String, Integer> where,
                           Map<String, Integer> loads, Map<String, Integer> limits) {
        for (NodeInfo n : order) {
            String id = n.nodeId();
            if (!where.containsKey(id) && loads.get(id) + demand <= limits.get(id)) {
                where.put(id, demand);
                loads.merge(id, demand, Integer::sum);
                return 0;
            }
        }
        // No node has room for the whole part: cut it over the nodes in order (the fleet is nearly full).
        int left = demand;
        for (NodeInfo n : order) {
            int room = Math.min(left, limits.get(n.nodeId()) - loads.get(n.nodeId()));
            if (room > 0) {
                where.merge(n.nodeId(), room, Integer::sum);
                loads.merge(n.nodeId(), room, Integer::sum);
                left -= room;
            }
            if (left == 0) {
                break;
            }
        }
        return left;
    }

    /** The fewest nodes whose limits (largest first) add up to {@code size}. */
    static int minimumNodes(int size, List<Integer> limitsLargestFirst) {
        long sum = 0;
        int k = 0;
        for (int limit : limitsLargestFirst) {
            if (sum >= size) {
                break;
            }
            sum += limit;
            k++;
        }
        return Math.max(1, k);
    }

    /** Organisation → node → users, for every organisation of the workload. */
    public Map<String, Map<String, Integer>> orgs() {
        return orgs;
    }

    /** The nodes of {@code org} in the order they were filled. */
    public List<String> nodesOf(String org) {
        return List.copyOf(orgs.get(org).keySet());
    }

    /** The fewest nodes that {@code org}'s size allows under the bound. */
    public int minimumNodes(String org) {
        return minimumNodes.get(org);
    }

    /** Node → users placed on it. */
    public Map<String, Integer> loads() {
        return loads;
    }

    /** Node → its bound for this workload. */
    public Map<String, Integer> limits() {
        return limits;
    }

    /** Users that fit on no node (the fleet's capacity is too small); zero in a healthy plan. */
    public long unplaced() {
        return unplaced;
    }

    /** The most loaded node's load over the average load. */
    public double maxOverAverage() {
        double avg = loads.values().stream().mapToInt(Integer::intValue).average().orElse(0);
        int max = loads.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return avg == 0 ? 0 : max / avg;
    }
}
