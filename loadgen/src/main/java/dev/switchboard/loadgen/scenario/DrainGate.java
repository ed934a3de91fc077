package dev.switchboard.loadgen.scenario;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How a process waits out the drain after its last publication. In a
 * single-process run every subscriber is local, so {@link #LOCAL} polls this
 * process's own deliveries. A worker's subscribers also receive the other
 * workers' publications, so its own counts never match: there the parent
 * sums every worker's expected and delivered counts and releases them all at
 * once (the worker's gate reports to it).
 */
@FunctionalInterface
public interface DrainGate {
    long POLL_MILLIS = 20;

    /** Polls this process's deliveries until they reach {@code expected} or {@code max} passes. */
    DrainGate LOCAL = (expected, delivered, max) -> {
        long until = System.nanoTime() + max.toNanos();
        while (delivered.getAsLong() < expected && System.nanoTime() < until) {
            Thread.sleep(POLL_MILLIS);
        }
    };

    /**
     * Returns once the run has delivered everything its publications owe, or once {@code max} passed.
     *
     * @param expected the deliveries this process's publications owe, counting every subscriber of the run
     * @param delivered this process's deliveries so far (cumulative)
     */
    void await(long expected, LongSupplier delivered, Duration max) throws InterruptedException;
}
