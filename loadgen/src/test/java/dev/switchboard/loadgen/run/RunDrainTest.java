package dev.switchboard.loadgen.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunDrainTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void endsWhenTheSummedDeliveriesReachTheSummedExpectedThoughNoWorkerMatchesAlone() {
        RunDrain d = new RunDrain(2, 60 * SECOND);
        // Worker 0's publications owe 100, its subscribers got 70 (some from worker 1); worker 1 the other way round.
        assertFalse(d.report(0, 100, 70, 0));
        assertFalse(d.report(1, 60, 80, 1), "150 of 160 delivered");
        assertTrue(d.report(1, 60, 90, 2), "160 of 160 delivered");
        assertFalse(d.report(0, 100, 70, 3), "released once");
    }

    @Test
    void waitsForEveryWorkerToFinishPublishing() {
        RunDrain d = new RunDrain(2, 60 * SECOND);
        assertFalse(d.report(0, 10, 10, 0), "worker 1 is still publishing");
        assertTrue(d.report(1, 10, 10, 1));
    }

    @Test
    void endsAtTheDrainAfterTheLastWorkerFinishedPublishingWhenDeliveriesAreMissing() {
        RunDrain d = new RunDrain(2, 3 * SECOND);
        assertFalse(d.report(0, 100, 40, 0));
        assertFalse(d.report(1, 100, 40, SECOND));
        assertFalse(d.report(0, 100, 50, 3 * SECOND), "3 s after the first, 2 s after the last");
        assertTrue(d.report(1, 100, 50, 4 * SECOND));
    }

    @Test
    void aZeroDrainEndsAsSoonAsEveryWorkerFinishedPublishing() {
        RunDrain d = new RunDrain(1, 0);
        assertTrue(d.report(0, 100, 0, 5));
    }
}
