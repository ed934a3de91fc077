package dev.switchboard.edge.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The lease semantics every presence store keeps; one subclass per store (memory, real Redis). */
abstract class PresenceStoreContract {
    /** A store whose leases live {@code ttlMillis}. */
    abstract PresenceStore store(long ttlMillis);

    @Test
    void firstLeaseBringsAUserOnlineAndTheLastTakesThemOffline() throws Exception {
        try (PresenceStore s = store(10_000)) {
            Lease phone = new Lease("acme", "ann", "n1", 1);
            Lease laptop = new Lease("acme", "ann", "n2", 7);
            assertTrue(s.opened(phone).get(5, TimeUnit.SECONDS));
            assertFalse(s.opened(laptop).get(5, TimeUnit.SECONDS), "a second session is not a change");
            assertEquals(Set.of("ann"), s.online("acme", List.of("ann", "bob")).get(5, TimeUnit.SECONDS));
            assertEquals(Set.of(), s.online("globex", List.of("ann")).get(5, TimeUnit.SECONDS), "presence is per organisation");
            assertFalse(s.closed(phone).get(5, TimeUnit.SECONDS));
            assertTrue(s.closed(laptop).get(5, TimeUnit.SECONDS));
            assertFalse(s.closed(laptop).get(5, TimeUnit.SECONDS), "closing twice is not a second change");
            assertEquals(Set.of(), s.online("acme", List.of("ann")).get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void leasesThatAreNotRenewedExpireAndAreReapedOnce() throws Exception {
        try (PresenceStore s = store(300)) {
            Lease dead = new Lease("acme", "zed", "dead", 1);
            Lease alive = new Lease("acme", "amy", "live", 1);
            s.opened(dead).get(5, TimeUnit.SECONDS);
            s.opened(alive).get(5, TimeUnit.SECONDS);
            // Heartbeats: the live lease is renewed while the dead one's 300 ms TTL runs out; the time is the point.
            for (int i = 0; i < 6; i++) {
                Thread.sleep(100);
                s.renew(List.of(alive)).get(5, TimeUnit.SECONDS);
            }
            assertEquals(Set.of("amy"), s.online("acme", List.of("zed", "amy")).get(5, TimeUnit.SECONDS));
            List<Lease> reaped = s.reapExpired(100).get(5, TimeUnit.SECONDS);
            assertEquals(1, reaped.size());
            assertEquals("zed", reaped.get(0).user());
            assertEquals(List.of(), s.reapExpired(100).get(5, TimeUnit.SECONDS), "each expired lease is reported once");
        }
    }

    @Test
    void aUserWithSeveralSessionsStaysOnlineUntilTheLastLeaseGoesInAnyOrder() throws Exception {
        try (PresenceStore s = store(10_000)) {
            Lease a = new Lease("acme", "cat", "n1", 1);
            Lease b = new Lease("acme", "cat", "n1", 2);
            Lease c = new Lease("acme", "cat", "n2", 2);
            assertTrue(s.opened(a).get(5, TimeUnit.SECONDS));
            assertFalse(s.opened(b).get(5, TimeUnit.SECONDS));
            assertFalse(s.opened(c).get(5, TimeUnit.SECONDS));
            assertFalse(s.opened(b).get(5, TimeUnit.SECONDS), "opening a lease again renews it");
            assertFalse(s.closed(b).get(5, TimeUnit.SECONDS), "the middle one of three");
            assertFalse(s.closed(b).get(5, TimeUnit.SECONDS), "already gone");
            assertFalse(s.closed(a).get(5, TimeUnit.SECONDS));
            assertEquals(Set.of("cat"), s.online("acme", List.of("cat")).get(5, TimeUnit.SECONDS));
            assertTrue(s.closed(c).get(5, TimeUnit.SECONDS), "same session number, other node: a lease of its own");
            assertEquals(Set.of(), s.online("acme", List.of("cat")).get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void anExpiredLeaseBesideALiveOneIsReapedWithoutTakingTheUserOffline() throws Exception {
        try (PresenceStore s = store(300)) {
            Lease dead = new Lease("acme", "dan", "gone", 4);
            Lease alive = new Lease("acme", "dan", "here", 5);
            s.opened(dead).get(5, TimeUnit.SECONDS);
            s.opened(alive).get(5, TimeUnit.SECONDS);
            // Heartbeats: the live lease is renewed while the dead one's 300 ms TTL runs out; the time is the point.
            for (int i = 0; i < 6; i++) {
                Thread.sleep(100);
                s.renew(List.of(alive)).get(5, TimeUnit.SECONDS);
            }
            assertEquals(List.of(), s.reapExpired(100).get(5, TimeUnit.SECONDS), "dan is still online through the live lease");
            assertEquals(Set.of("dan"), s.online("acme", List.of("dan")).get(5, TimeUnit.SECONDS));
            assertTrue(s.closed(alive).get(5, TimeUnit.SECONDS), "the reaped lease no longer counts");
        }
    }

    @Test
    void theLastLeaseToEndSaysWhenAUserWasLastSeen() throws Exception {
        try (PresenceStore s = store(10_000)) {
            Lease phone = new Lease("acme", "eve", "n1", 1);
            Lease laptop = new Lease("acme", "eve", "n2", 2);
            s.opened(phone).get(5, TimeUnit.SECONDS);
            s.opened(laptop).get(5, TimeUnit.SECONDS);
            assertEquals(Map.of(), s.lastSeen("acme", List.of("eve", "fay")).get(5, TimeUnit.SECONDS), "never offline yet");
            s.closed(phone).get(5, TimeUnit.SECONDS);
            assertEquals(Map.of(), s.lastSeen("acme", List.of("eve")).get(5, TimeUnit.SECONDS), "still online elsewhere");
            long before = System.currentTimeMillis();
            s.closed(laptop).get(5, TimeUnit.SECONDS);
            long after = System.currentTimeMillis();
            long seen = s.lastSeen("acme", List.of("eve", "fay")).get(5, TimeUnit.SECONDS).get("eve");
            assertTrue(seen >= before && seen <= after, seen + " not in [" + before + ", " + after + "]");
            assertEquals(Map.of(), s.lastSeen("globex", List.of("eve")).get(5, TimeUnit.SECONDS), "per organisation");
        }
    }

    @Test
    void aUserWhoseNodeDiedWasLastSeenAtTheLeasesLastRenewal() throws Exception {
        try (PresenceStore s = store(300)) {
            Lease dead = new Lease("acme", "gus", "dead", 1);
            long before = System.currentTimeMillis();
            s.opened(dead).get(5, TimeUnit.SECONDS);
            long after = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(10)).until(() -> !s.reapExpired(100).get(5, TimeUnit.SECONDS).isEmpty());
            long seen = s.lastSeen("acme", List.of("gus")).get(5, TimeUnit.SECONDS).get("gus");
            assertTrue(seen >= before && seen <= after, seen + " not in [" + before + ", " + after + "]");
        }
    }
}
