package dev.switchboard.balancer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Deterministic test workloads: a fleet of equal nodes and organisations of Zipf-like sizes. */
final class Workloads {
    private Workloads() {
    }

    static List<NodeInfo> nodes(int n, int capacity) {
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            nodes.add(node("edge-" + i, 0, capacity));
        }
        return nodes;
    }

    static NodeInfo node(String id, int connections, int capacity) {
        return new NodeInfo(id, "ws://" + id + ".test:8080/ws", connections, capacity, false, 0);
    }

    /**
     * {@code count} organisations whose sizes follow a Zipf law with exponent 1.3 (a few
     * organisations larger than one node's fair share, a long tail of small ones), with
     * ±20% seeded noise so that sizes are not all distinct powers.
     */
    static Map<String, Integer> zipfOrgs(int count, int largest, long seed) {
        Random random = new Random(seed);
        Map<String, Integer> sizes = new TreeMap<>();
        for (int rank = 1; rank <= count; rank++) {
            double base = largest / Math.pow(rank, 1.3);
            double noise = rank == 1 ? 1.0 : 0.8 + 0.4 * random.nextDouble();
            sizes.put(String.format("org-%03d", rank), Math.max(2, (int) Math.round(base * noise)));
        }
        return sizes;
    }
}
