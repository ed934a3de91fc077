package dev.switchboard.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats lag placements: a client placed on a node shows in the node's count only
 * once it has connected and the node has beaten since, and on a loaded machine a beat
 * often comes first. These tests feed such beats by hand (a clock of their own, no
 * Redis, no nodes).
 */
class PendingPlacementsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private long nowNanos;
    private final PendingPlacements pending = new PendingPlacements(TIMEOUT, () -> nowNanos);

    private static NodeInfo beat(String id, int connections, long atMs) {
        return new NodeInfo(id, "ws://" + id + ".test:8080/ws", connections, 1000, false, atMs);
    }

    private static List<NodeInfo> fleetBeat(long atMs) {
        return List.of(beat("edge-1", 0, atMs), beat("edge-2", 0, atMs), beat("edge-3", 0, atMs));
    }

    private void place(NodeInfo n, int times) {
        for (int i = 0; i < times; i++) {
            pending.record(n);
        }
    }

    @Test
    void aNewerHeartbeatThatDoesNotShowThePlacedClientsYetKeepsThemPending() {
        pending.sync(List.of(beat("edge-1", 0, 1_000)));
        place(beat("edge-1", 0, 1_000), 25);
        // Taken before any of the 25 clients had connected.
        pending.sync(List.of(beat("edge-1", 0, 2_000)));
        assertEquals(25, pending.get("edge-1"));
        // Shows 10 of them: those are in the count now, the other 15 still pending.
        pending.sync(List.of(beat("edge-1", 10, 3_000)));
        assertEquals(15, pending.get("edge-1"));
        // The same beat read again shows nothing new.
        pending.sync(List.of(beat("edge-1", 10, 3_000)));
        assertEquals(15, pending.get("edge-1"));
        pending.sync(List.of(beat("edge-1", 25, 4_000)));
        assertEquals(0, pending.get("edge-1"));
    }

    @Test
    void growthBeyondWhatWasPlacedAbsorbsOnlyWhatIsPending() {
        pending.sync(List.of(beat("edge-1", 40, 1_000)));
        place(beat("edge-1", 40, 1_000), 5);
        // 20 more sessions, of other balancers or direct connects: the 5 are shown (or taken to be).
        pending.sync(List.of(beat("edge-1", 60, 2_000)));
        assertEquals(0, pending.get("edge-1"));
        // Sessions that close hide nothing that was never placed.
        pending.sync(List.of(beat("edge-1", 30, 3_000)));
        place(beat("edge-1", 30, 3_000), 3);
        pending.sync(List.of(beat("edge-1", 31, 4_000)));
        assertEquals(2, pending.get("edge-1"));
    }

    @Test
    void aPlacementNoHeartbeatShowsIsForgottenAfterTheTimeout() {
        pending.sync(List.of(beat("edge-1", 0, 1_000)));
        place(beat("edge-1", 0, 1_000), 3);
        nowNanos += TIMEOUT.toNanos() / 2;
        place(beat("edge-1", 0, 1_000), 2);
        nowNanos += TIMEOUT.toNanos() / 2;
        assertEquals(5, pending.get("edge-1"));
        nowNanos += 1;
        assertEquals(2, pending.get("edge-1"), "the first 3 went elsewhere (or their beats were lost)");
        nowNanos += TIMEOUT.toNanos();
        assertEquals(0, pending.get("edge-1"));
    }

    @Test
    void aNodeThatLeftIsForgotten() {
        pending.sync(fleetBeat(1_000));
        place(beat("edge-2", 0, 1_000), 4);
        pending.sync(List.of(beat("edge-1", 0, 2_000), beat("edge-3", 0, 2_000)));
        assertEquals(0, pending.get("edge-2"));
    }

    /**
     * The race that let a home node run past its bound: one organisation's burst of 150
     * clients, none connected yet when the fleet beats twice mid-burst. The home node
     * takes its bound (the 100 of {@code minShare}: the fleet is nearly empty) and the
     * rest spills to the organisation's second node. Forgetting the placements at each
     * newer beat put all 150 on the home node.
     */
    @Test
    void aBurstWhoseClientsHaveNotConnectedYetDoesNotOverfillTheHomeNode() {
        Placement placement = new Placement(Placement.DEFAULT_LOAD_FACTOR, Placement.DEFAULT_MIN_SHARE);
        List<NodeInfo> view = fleetBeat(1_000);
        Map<String, Integer> placed = new TreeMap<>();
        for (int i = 0; i < 150; i++) {
            if (i == 50 || i == 100) {
                view = fleetBeat(1_000 + i * 20L);
            }
            pending.sync(view);
            NodeInfo n = placement.choose("org-x", view, pending::get, 0).orElseThrow().node();
            pending.record(n);
            placed.merge(n.nodeId(), 1, Integer::sum);
        }
        List<NodeInfo> ranking = placement.order("org-x", view);
        assertEquals(Map.of(ranking.get(0).nodeId(), 100, ranking.get(1).nodeId(), 50), placed);
    }
}
