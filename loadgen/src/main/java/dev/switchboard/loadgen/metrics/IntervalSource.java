package dev.switchboard.loadgen.metrics;

/**
 * Where the reporter gets its numbers once a second: this process's
 * {@link LoadStats}, or the merged reports of worker processes.
 */
public interface IntervalSource {
    /** Counters so far and the histograms recorded since the previous call. */
    Interval poll();
}
