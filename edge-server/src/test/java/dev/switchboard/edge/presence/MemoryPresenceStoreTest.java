package dev.switchboard.edge.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryPresenceStoreTest extends PresenceStoreContract {
    @Override
    PresenceStore store(long ttlMillis) {
        return new MemoryPresenceStore(Duration.ofMillis(ttlMillis));
    }

    /** A clock the test moves. */
    private static final class ManualClock extends Clock {
        long millis = 1_000_000;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static List<String> reaped(MemoryPresenceStore s, int max) throws Exception {
        return s.reapExpired(max).get(5, TimeUnit.SECONDS).stream().map(Lease::user).sorted().toList();
    }

    @Test
    void aReapSkipsNoLeaseThatExpiredAfterRenewalsAndNewLeases() throws Exception {
        // The store skips its walk while no lease can have expired; each step checks that the bound it keeps is
        // never above a lease's real expiry.
        ManualClock clock = new ManualClock();
        MemoryPresenceStore s = new MemoryPresenceStore(Duration.ofSeconds(30), clock);
        Lease ann = new Lease("acme", "ann", "n1", 1);
        Lease bob = new Lease("acme", "bob", "n1", 2);
        s.opened(ann).get();
        s.opened(bob).get();
        clock.millis += 10_000;
        s.renew(List.of(ann)).get();                         // ann now expires at +40 s, bob at +30 s
        clock.millis += 19_999;
        assertEquals(List.of(), reaped(s, 100), "nothing has expired yet");
        clock.millis += 1;
        assertEquals(List.of("bob"), reaped(s, 100), "bob's lease ran out at +30 s");
        Lease cid = new Lease("globex", "cid", "n1", 3);
        s.opened(cid).get();                                 // cid expires at +60 s
        clock.millis += 9_999;
        assertEquals(List.of(), reaped(s, 100), "ann's renewed lease lives until +40 s");
        clock.millis += 1;
        assertEquals(List.of("ann"), reaped(s, 100));
        clock.millis += 20_000;
        assertEquals(List.of("cid"), reaped(s, 100), "a lease opened after a walk is not skipped");
    }

    @Test
    void aReapCutShortByItsBatchLeavesTheRestForTheNext() throws Exception {
        ManualClock clock = new ManualClock();
        MemoryPresenceStore s = new MemoryPresenceStore(Duration.ofSeconds(30), clock);
        for (int i = 0; i < 5; i++) {
            s.opened(new Lease("acme", "u" + i, "n1", i)).get();
        }
        clock.millis += 30_000;
        assertEquals(2, reaped(s, 2).size());
        assertEquals(2, reaped(s, 2).size());
        assertEquals(1, reaped(s, 2).size());
        assertEquals(List.of(), reaped(s, 2));
    }
}
