package dev.switchboard.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private static final int CAPACITY = 50_000;
    private final Placement placement = new Placement(1.25, Placement.DEFAULT_MIN_SHARE);
    private final Map<String, Integer> orgs = Workloads.zipfOrgs(200, 12_000, 42);

    @Test
    void everyOrganisationLandsOnTheFewestNodesItsSizeAllowsWithinTheBound() {
        Layout layout = Layout.plan(placement, orgs, Workloads.nodes(5, CAPACITY));

        int split = 0;
        for (String org : orgs.keySet()) {
            assertEquals(layout.minimumNodes(org), layout.nodesOf(org).size(), org + " of " + orgs.get(org) + " users");
            split += layout.minimumNodes(org) > 1 ? 1 : 0;
        }
        assertTrue(split > 0, "the workload must have organisations larger than one node's share");
        assertEquals(0, layout.unplaced());
        assertWithinBound(layout, 5);
        long users = orgs.values().stream().mapToLong(Integer::longValue).sum();
        System.out.printf("placement: 5 nodes, %d orgs, %d users (largest org %d), loads %s, bound %s, max/avg %.3f, "
                        + "orgs on >1 node %d (all at their minimum)%n",
                orgs.size(), users, orgs.get("org-001"), layout.loads(), layout.limits().get("edge-1"),
                layout.maxOverAverage(), split);
    }

    @Test
    void addingASixthNodeMovesOnlyASmallShareOfOrganisations() {
        Layout five = Layout.plan(placement, orgs, Workloads.nodes(5, CAPACITY));
        Layout six = Layout.replan(placement, five, orgs, Workloads.nodes(6, CAPACITY));

        Churn churn = Churn.between(five, six, orgs);
        assertEquals(0, six.unplaced());
        assertWithinBound(six, 6);
        for (String org : orgs.keySet()) {
            assertTrue(six.nodesOf(org).size() <= Math.max(six.minimumNodes(org), five.nodesOf(org).size()), org);
        }
        // Rendezvous alone sends about 1/6 of the organisations to the new node; the lower bound adds a few.
        assertTrue(churn.orgShare() <= 0.25, churn.toString());
        assertTrue(churn.movedOrgs() > 0, "the new node must receive organisations");
        assertTrue(six.loads().get("edge-6") > 0);
        Churn fresh = Churn.between(five, Layout.plan(placement, orgs, Workloads.nodes(6, CAPACITY)), orgs);
        System.out.printf("placement: adding edge-6 moves %s; 6-node max/avg %.3f, loads %s "
                + "(laying the 6 nodes out from scratch instead would move %s)%n", churn, six.maxOverAverage(), six.loads(), fresh);
    }

    @Test
    void removingANodeMovesOnlyItsOwnOrganisations() {
        List<NodeInfo> nodes = Workloads.nodes(5, CAPACITY);
        Layout before = Layout.plan(placement, orgs, nodes);
        List<NodeInfo> remaining = new ArrayList<>(nodes);
        NodeInfo removed = remaining.remove(2);
        Layout after = Layout.replan(placement, before, orgs, remaining);

        int displaced = 0;
        for (String org : orgs.keySet()) {
            if (before.orgs().get(org).containsKey(removed.nodeId())) {
                displaced++;
                assertFalse(after.orgs().get(org).containsKey(removed.nodeId()));
                assertTrue(after.nodesOf(org).size() <= before.nodesOf(org).size(), org);
            } else {
                assertEquals(before.orgs().get(org), after.orgs().get(org), org + " moved without cause");
            }
        }
        assertTrue(displaced > 0);
        assertEquals(0, after.unplaced());
        assertWithinBound(after, 4);
        Churn churn = Churn.between(before, after, orgs);
        assertEquals(displaced, churn.movedOrgs());
        System.out.printf("placement: removing %s moves only its %s; 4-node max/avg %.3f, loads %s%n",
                removed.nodeId(), churn, after.maxOverAverage(), after.loads());
    }

    private void assertWithinBound(Layout layout, int nodes) {
        long users = orgs.values().stream().mapToLong(Integer::longValue).sum();
        long bound = (long) Math.ceil(1.25 * users / nodes);
        layout.loads().forEach((node, load) -> assertTrue(load <= bound, node + " carries " + load + " > " + bound));
        assertTrue(layout.maxOverAverage() <= 1.25 + 1.0 * nodes / users, "max/avg " + layout.maxOverAverage());
    }

    @Test
    void twoInstancesAgreeWhateverTheNodeOrder() {
        List<NodeInfo> nodes = Workloads.nodes(5, CAPACITY);
        List<NodeInfo> reversed = new ArrayList<>(nodes);
        java.util.Collections.reverse(reversed);
        Placement other = new Placement(1.25, Placement.DEFAULT_MIN_SHARE);
        for (String org : orgs.keySet()) {
            assertEquals(placement.order(org, nodes), other.order(org, reversed));
            assertEquals(placement.choose(org, nodes, id -> 0, 2), other.choose(org, reversed, id -> 0, 2));
        }
        assertEquals(Layout.plan(placement, orgs, nodes).orgs(), Layout.plan(other, orgs, reversed).orgs());
    }

    @Test
    void organisationsSpreadOverTheNodes() {
        List<NodeInfo> nodes = Workloads.nodes(5, CAPACITY);
        Map<String, Long> firsts = orgs.keySet().stream().collect(java.util.stream.Collectors.groupingBy(
                org -> placement.order(org, nodes).get(0).nodeId(), java.util.stream.Collectors.counting()));
        assertEquals(5, firsts.size(), firsts.toString());
        firsts.values().forEach(c -> assertTrue(c >= 20 && c <= 60, firsts.toString()));
    }

    @Test
    void aConnectionGoesToTheFirstNodeOfItsOrderUntilThatNodeIsAtItsBound() {
        List<NodeInfo> nodes = Workloads.nodes(3, 1000);
        List<NodeInfo> order = placement.order("acme", nodes);
        Placement.Choice first = placement.choose("acme", nodes, id -> 0, 2).orElseThrow();
        assertEquals(order.get(0), first.node());
        assertEquals(order.subList(1, 3), first.fallbacks());

        // 400, 200, 200 over three nodes: the bound is ceil(1.25 × 801 / 3) = 334, so the home node is full.
        List<NodeInfo> loaded = new ArrayList<>();
        for (NodeInfo n : nodes) {
            loaded.add(n.withConnections(n.equals(order.get(0)) ? 400 : 200));
        }
        Placement.Choice spilled = placement.choose("acme", loaded, id -> 0, 2).orElseThrow();
        assertEquals(order.get(1).nodeId(), spilled.node().nodeId());
        assertEquals(List.of(order.get(2).nodeId()), spilled.fallbacks().stream().map(NodeInfo::nodeId).toList());
    }

    @Test
    void pendingPlacementsCountAsLoad() {
        List<NodeInfo> nodes = Workloads.nodes(3, 1000).stream().map(n -> n.withConnections(200)).toList();
        NodeInfo home = placement.order("acme", nodes).get(0);
        assertEquals(home, placement.choose("acme", nodes, id -> 0, 0).orElseThrow().node());
        Optional<Placement.Choice> withPending = placement.choose("acme", nodes, id -> id.equals(home.nodeId()) ? 300 : 0, 0);
        assertNotEquals(home, withPending.orElseThrow().node());
    }

    @Test
    void drainingNodesGetNothingButTheirLoadCounts() {
        List<NodeInfo> nodes = Workloads.nodes(3, 1000);
        NodeInfo home = placement.order("acme", nodes).get(0);
        List<NodeInfo> draining = nodes.stream().map(n -> n.equals(home)
                ? new NodeInfo(n.nodeId(), n.url(), 900, n.capacity(), true, 0) : n).toList();
        Placement.Choice c = placement.choose("acme", draining, id -> 0, 5).orElseThrow();
        assertNotEquals(home.nodeId(), c.node().nodeId());
        assertFalse(c.fallbacks().stream().anyMatch(NodeInfo::draining));
        // The draining node's 900 sessions are coming: the bound of the two others is ceil(1.25 × 901 / 2).
        assertEquals(564, placement.limit(c.node(), 901, 2000));
    }

    @Test
    void nothingIsPlacedWhenEveryNodeIsFullOrDraining() {
        assertTrue(placement.choose("acme", List.of(), id -> 0, 2).isEmpty());
        List<NodeInfo> full = Workloads.nodes(2, 100).stream().map(n -> n.withConnections(100)).toList();
        assertTrue(placement.choose("acme", full, id -> 0, 2).isEmpty());
        NodeInfo draining = new NodeInfo("edge-1", "ws://x/ws", 0, 100, true, 0);
        assertTrue(placement.choose("acme", List.of(draining), id -> 0, 2).isEmpty());
    }

    @Test
    void rejectsALoadFactorBelowOne() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Placement(0.9, 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Placement(Double.NaN, 0));
    }
}
