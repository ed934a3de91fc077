package dev.switchboard.loadgen.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RatePacerTest {
    private static final long S = 1_000_000_000L;

    @Test
    void spacesEventsEvenlyFromTheStart() {
        RatePacer p = new RatePacer(1_000, 4, 100);
        assertEquals(1_000, p.intendedNanos(0));
        assertEquals(1_000 + S / 4, p.intendedNanos(1));
        assertEquals(1_000 + 10 * S / 4, p.intendedNanos(10));
    }

    @Test
    void countsEventsDueIncludingTheOneExactlyNow() {
        RatePacer p = new RatePacer(0, 1_000, 1_000_000);
        assertEquals(0, p.dueAt(-1));
        assertEquals(1, p.dueAt(0));
        assertEquals(1, p.dueAt(999_999));
        assertEquals(2, p.dueAt(1_000_000));
        assertEquals(1_001, p.dueAt(S));
    }

    @Test
    void aLateSenderOwesEveryMissedEventWithItsOriginalTime() {
        // Open model: after a 2 s stall the schedule still says what was due, not what was sent.
        RatePacer p = new RatePacer(0, 100, 10_000);
        long due = p.dueAt(2 * S);
        assertEquals(201, due);
        assertEquals(S, p.intendedNanos(100));
    }

    @Test
    void neverSchedulesMoreThanTheTotal() {
        RatePacer p = new RatePacer(0, 1_000, 5);
        assertEquals(5, p.dueAt(10 * S));
        assertEquals(4_000_000, p.endNanos());
    }

    @Test
    void dueAtAgreesWithIntendedTimesForOddRates() {
        RatePacer p = new RatePacer(123, 333.3, 100_000);
        for (long k = 0; k < 5_000; k++) {
            long t = p.intendedNanos(k);
            assertEquals(k + 1, p.dueAt(t), "at the intended time of " + k);
            assertEquals(k, p.dueAt(t - 1), "just before the intended time of " + k);
        }
    }

    @Test
    void countsEventsInADuration() {
        assertEquals(2_500, RatePacer.count(1_000, 2.5));
        assertEquals(0, RatePacer.count(1_000, 0));
    }

    @Test
    void rejectsANonPositiveRate() {
        assertThrows(IllegalArgumentException.class, () -> new RatePacer(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RatePacer(0, Double.NaN, 1));
    }
}
