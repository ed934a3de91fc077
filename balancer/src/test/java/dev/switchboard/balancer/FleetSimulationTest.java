package dev.switchboard.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Redis subscriptions across a simulated fleet (channel × node pairs with at least one
 * member connected there) for one membership workload under three placements: the
 * org-affine layout, the live balancer's rule with users arriving in random order, and
 * random placement. A simulation, not a measurement of real edge nodes: each edge node
 * subscribes a channel on Redis while it has a local member, so the count is exact
 * under that rule.
 */
class FleetSimulationTest {
    private static final int NODES = 5;
    private final Placement placement = new Placement(1.25, Placement.DEFAULT_MIN_SHARE);
    private final Map<String, Integer> orgs = Workloads.zipfOrgs(200, 12_000, 42);
    private final List<NodeInfo> nodes = Workloads.nodes(NODES, 50_000);

    /** One user: organisation and index within it. */
    private record User(String org, int index) {
    }

    /** Channel id → members; every user is in its org's #general, 3 group channels and 1 DM. */
    private Map<String, List<User>> memberships(Random random) {
        Map<String, List<User>> channels = new HashMap<>();
        for (Map.Entry<String, Integer> e : orgs.entrySet()) {
            String org = e.getKey();
            int size = e.getValue();
            int groups = Math.max(1, size / 20);
            for (int u = 0; u < size; u++) {
                User user = new User(org, u);
                channels.computeIfAbsent(org + "/general", k -> new ArrayList<>()).add(user);
                Set<Integer> joined = new HashSet<>();
                while (joined.size() < Math.min(3, groups)) {
                    joined.add(random.nextInt(groups));
                }
                joined.forEach(g -> channels.computeIfAbsent(org + "/group-" + g, k -> new ArrayList<>()).add(user));
                int peer = random.nextInt(size);
                if (peer != u) {
                    channels.computeIfAbsent(org + "/dm-" + Math.min(u, peer) + "-" + Math.max(u, peer),
                            k -> new ArrayList<>()).add(user);
                }
            }
        }
        // A DM whose peer also picked it has both members listed once each; a one-sided pick still has two members.
        channels.replaceAll((id, members) -> id.contains("/dm-") ? dmMembers(id, members.get(0).org()) : members);
        return channels;
    }

    private static List<User> dmMembers(String id, String org) {
        String[] ends = id.substring(id.indexOf("/dm-") + 4).split("-");
        return List.of(new User(org, Integer.parseInt(ends[0])), new User(org, Integer.parseInt(ends[1])));
    }

    private static long subscriptions(Map<String, List<User>> channels, Map<User, String> nodeOf) {
        long total = 0;
        for (List<User> members : channels.values()) {
            total += members.stream().map(nodeOf::get).distinct().count();
        }
        return total;
    }

    private Map<User, String> byLayout(Layout layout) {
        Map<User, String> nodeOf = new HashMap<>();
        layout.orgs().forEach((org, where) -> {
            int next = 0;
            for (Map.Entry<String, Integer> e : where.entrySet()) {
                for (int i = 0; i < e.getValue(); i++) {
                    nodeOf.put(new User(org, next++), e.getKey());
                }
            }
        });
        return nodeOf;
    }

    private Map<User, String> byLiveRule(Random random, Map<String, Integer> loads) {
        List<User> arrivals = new ArrayList<>();
        orgs.forEach((org, size) -> {
            for (int u = 0; u < size; u++) {
                arrivals.add(new User(org, u));
            }
        });
        Collections.shuffle(arrivals, random);
        Map<User, String> nodeOf = new HashMap<>();
        for (User u : arrivals) {
            String node = placement.choose(u.org(), nodes, id -> loads.getOrDefault(id, 0), 0).orElseThrow().node().nodeId();
            loads.merge(node, 1, Integer::sum);
            nodeOf.put(u, node);
        }
        return nodeOf;
    }

    private Map<User, String> byRandom(Random random, Map<String, Integer> loads) {
        Map<User, String> nodeOf = new HashMap<>();
        orgs.forEach((org, size) -> {
            for (int u = 0; u < size; u++) {
                String node = nodes.get(random.nextInt(NODES)).nodeId();
                loads.merge(node, 1, Integer::sum);
                nodeOf.put(new User(org, u), node);
            }
        });
        return nodeOf;
    }

    private static double maxOverAvg(Map<String, Integer> loads) {
        double avg = loads.values().stream().mapToInt(Integer::intValue).average().orElse(0);
        return loads.values().stream().mapToInt(Integer::intValue).max().orElse(0) / avg;
    }

    @Test
    void orgAffinityNeedsFarFewerRedisSubscriptionsThanRandomPlacement() {
        Map<String, List<User>> channels = memberships(new Random(7));
        Layout layout = Layout.plan(placement, orgs, nodes);
        Map<String, Integer> liveLoads = new HashMap<>();
        Map<String, Integer> randomLoads = new HashMap<>();

        long planned = subscriptions(channels, byLayout(layout));
        Map<User, String> live = byLiveRule(new Random(11), liveLoads);
        long liveSubs = subscriptions(channels, live);
        long random = subscriptions(channels, byRandom(new Random(13), randomLoads));
        long users = orgs.values().stream().mapToLong(Integer::longValue).sum();
        assertEquals(users, live.size());

        long liveAboveMinimum = orgs.keySet().stream().filter(org -> live.entrySet().stream()
                .filter(e -> e.getKey().org().equals(org)).map(Map.Entry::getValue).distinct().count()
                > layout.minimumNodes(org)).count();
        System.out.printf("fleet simulation: %d nodes, %d orgs, %d users, %d channels (#general, groups, DMs)%n",
                NODES, orgs.size(), users, channels.size());
        System.out.printf("fleet simulation: subscriptions org-affine layout %d (max/avg %.3f), live rule in random "
                        + "arrival order %d (max/avg %.3f, %d orgs above their minimum), random placement %d (max/avg %.3f)%n",
                planned, layout.maxOverAverage(), liveSubs, maxOverAvg(liveLoads), liveAboveMinimum, random,
                maxOverAvg(randomLoads));
        System.out.printf("fleet simulation: random/affine = %.2f (layout), %.2f (live rule)%n",
                (double) random / planned, (double) random / liveSubs);

        // Every channel needs at least one subscription; affinity brings the count close to that floor.
        assertTrue(planned >= channels.size());
        assertTrue(random > 1.5 * planned, "random " + random + " vs affine " + planned);
        assertTrue(random > 1.5 * liveSubs, "random " + random + " vs live " + liveSubs);
        assertTrue(maxOverAvg(liveLoads) <= 1.25 + (double) NODES / users, "live max/avg " + maxOverAvg(liveLoads));
    }
}
