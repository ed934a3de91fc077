package dev.switchboard.loadgen.run;

import java.util.Arrays;

/**
 * The drain of a run spread over worker processes, seen from the parent. A
 * worker's subscribers also receive the other workers' publications, so no
 * worker can tell alone when its deliveries are complete; each reports what
 * its publications owe (counting every subscriber of the run) and what its
 * subscribers received, and the drain ends when every worker finished
 * publishing and the sums match, or {@code drain} after the last of them
 * finished. Thread-safe: reports arrive on the workers' reader threads.
 */
final class RunDrain {
    private final long drainNanos;
    private final long[] expected;
    private final long[] delivered;
    private final boolean[] arrived;
    private int arrivals;
    private long lastArrivalNanos;
    private boolean released;

    RunDrain(int workers, long drainNanos) {
        this.drainNanos = drainNanos;
        this.expected = new long[workers];
        this.delivered = new long[workers];
        this.arrived = new boolean[workers];
    }

    /**
     * Worker {@code w}, done publishing, owes {@code expected} deliveries and has received {@code delivered}
     * (cumulative); returns true exactly once, when every worker may stop draining.
     */
    synchronized boolean report(int w, long expected, long delivered, long nowNanos) {
        this.expected[w] = expected;
        this.delivered[w] = delivered;
        if (!arrived[w]) {
            arrived[w] = true;
            arrivals++;
            lastArrivalNanos = nowNanos;
        }
        if (released || arrivals < arrived.length) {
            return false;
        }
        released = Arrays.stream(this.delivered).sum() >= Arrays.stream(this.expected).sum()
                || nowNanos - lastArrivalNanos >= drainNanos;
        return released;
    }
}
