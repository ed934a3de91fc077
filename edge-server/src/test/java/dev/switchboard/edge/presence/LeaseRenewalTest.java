package dev.switchboard.edge.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A renewal goes in rounds, one after the other, each without what closed before it ran. */
class LeaseRenewalTest {
    /** A session as the renewal sees it: its lease and whether it is still connected. */
    record Holder(Lease lease, AtomicBoolean live) {
        static Holder of(int i) {
            return new Holder(new Lease("acme", "u" + i, "n1", i), new AtomicBoolean(true));
        }
    }

    /** The memory store, with each renewal's leases kept and its answer held until the test releases it. */
    static final class HeldStore implements PresenceStore {
        final MemoryPresenceStore leases = new MemoryPresenceStore(Duration.ofMinutes(1));
        final LinkedBlockingQueue<List<Lease>> rounds = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<CompletableFuture<Void>> answers = new LinkedBlockingQueue<>();

        @Override
        public CompletableFuture<Void> renew(List<Lease> round) {
            CompletableFuture<Void> answer = new CompletableFuture<>();
            rounds.add(List.copyOf(round));
            answers.add(answer);
            return leases.renew(round).thenCompose(v -> answer);
        }

        @Override public CompletableFuture<Boolean> opened(Lease lease) { return leases.opened(lease); }
        @Override public CompletableFuture<Boolean> closed(Lease lease) { return leases.closed(lease); }
        @Override public CompletableFuture<Set<String>> online(String org, Collection<String> users) {
            return leases.online(org, users);
        }
        @Override public CompletableFuture<Map<String, Long>> lastSeen(String org, Collection<String> users) {
            return leases.lastSeen(org, users);
        }
        @Override public CompletableFuture<List<Lease>> reapExpired(int max) { return leases.reapExpired(max); }
        @Override public void close() { leases.close(); }
    }

    private final ExecutorService serviceThread = Executors.newSingleThreadExecutor();
    private final HeldStore store = new HeldStore();
    private final AtomicInteger beforeRounds = new AtomicInteger();
    private final LeaseRenewal<Holder> renewal = new LeaseRenewal<>(store, serviceThread, beforeRounds::incrementAndGet,
            h -> h.live().get(), Holder::lease, 512);

    private static List<Holder> holders(int n) {
        List<Holder> holders = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            holders.add(Holder.of(i));
        }
        return holders;
    }

    @AfterEach
    void stop() {
        serviceThread.shutdownNow();
    }

    @Test
    void roundsGoOneAfterTheOtherAndEachLeaseIsRenewedOnce() throws Exception {
        List<Holder> holders = holders(1_300);
        renewal.renew(holders);
        List<Lease> renewed = new ArrayList<>();
        for (int expected : new int[] {512, 512, 276}) {
            List<Lease> round = store.rounds.poll(5, TimeUnit.SECONDS);
            assertEquals(expected, round.size());
            assertEquals(null, store.rounds.poll(100, TimeUnit.MILLISECONDS), "the next round waits for this answer");
            renewed.addAll(round);
            store.answers.poll(5, TimeUnit.SECONDS).complete(null);
        }
        assertEquals(holders.stream().map(Holder::lease).toList(), renewed);
        assertEquals(3, beforeRounds.get(), "what the loops queued runs before every round");
        assertEquals(null, store.rounds.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void aSessionThatClosedBeforeItsRoundIsLeftOut() throws Exception {
        List<Holder> holders = holders(600);
        renewal.renew(holders);
        assertEquals(512, store.rounds.poll(5, TimeUnit.SECONDS).size());
        Holder closed = holders.get(550);
        closed.live().set(false); // its close is written before the next round is sent
        store.answers.poll(5, TimeUnit.SECONDS).complete(null);
        List<Lease> second = store.rounds.poll(5, TimeUnit.SECONDS);
        assertEquals(87, second.size());
        assertFalse(second.contains(closed.lease()));
        assertTrue(second.contains(holders.get(599).lease()));
        store.answers.poll(5, TimeUnit.SECONDS).complete(null);
    }

    @Test
    void aFailedRoundDoesNotStopTheRoundsAfterIt() throws Exception {
        List<Holder> holders = holders(1_030);
        renewal.renew(holders);
        store.rounds.poll(5, TimeUnit.SECONDS);
        store.answers.poll(5, TimeUnit.SECONDS).completeExceptionally(new IllegalStateException("Redis went away"));
        assertEquals(512, store.rounds.poll(5, TimeUnit.SECONDS).size());
        store.answers.poll(5, TimeUnit.SECONDS).complete(null);
        assertEquals(6, store.rounds.poll(5, TimeUnit.SECONDS).size());
        store.answers.poll(5, TimeUnit.SECONDS).complete(null);
    }
}
