package dev.switchboard.bridge.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bridge.RendezvousHash;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RendezvousTest {
    private static final List<String> THREE = List.of("10.0.0.1:6379", "10.0.0.2:6379", "10.0.0.3:6379");

    @Test
    void everyNodeAgreesWhateverTheOrderOfItsList() {
        Rendezvous a = new Rendezvous(THREE);
        List<String> reversed = THREE.reversed();
        Rendezvous b = new Rendezvous(reversed);
        for (int i = 0; i < 1000; i++) {
            String channel = "org" + i + "/general";
            assertEquals(THREE.get(a.pick(channel)), reversed.get(b.pick(channel)), channel);
        }
    }

    @Test
    void spreadsChannelsEvenly() {
        Rendezvous r = new Rendezvous(THREE);
        int[] counts = new int[3];
        for (int i = 0; i < 30_000; i++) {
            counts[r.pick("org" + i + "/c" + (i % 17))]++;
        }
        for (int count : counts) {
            assertTrue(count > 9_000 && count < 11_000, "uneven spread: " + Arrays.toString(counts));
        }
    }

    @Test
    void addingAShardMovesOnlyTheChannelsItWins() {
        Rendezvous before = new Rendezvous(THREE);
        List<String> four = List.of("10.0.0.1:6379", "10.0.0.2:6379", "10.0.0.3:6379", "10.0.0.4:6379");
        Rendezvous after = new Rendezvous(four);
        int moved = 0;
        for (int i = 0; i < 10_000; i++) {
            String channel = "org" + i + "/general";
            int was = before.pick(channel);
            int is = after.pick(channel);
            if (is != was) {
                assertEquals(3, is, "a channel only ever moves to the new shard");
                moved++;
            }
        }
        assertTrue(moved > 2_000 && moved < 3_000, "about a quarter moves: " + moved);
    }

    @Test
    void theHashIsFixedAcrossVersions() {
        // FNV-1a 64 of "a" is a published test vector; a change here would split the fleet.
        assertEquals(0xaf63dc4c8601ec8cL, RendezvousHash.hash("a"));
    }
}
