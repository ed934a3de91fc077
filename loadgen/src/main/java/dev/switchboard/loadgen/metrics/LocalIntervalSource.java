package dev.switchboard.loadgen.metrics;

import org.HdrHistogram.Histogram;

/** Intervals of this process's own {@link LoadStats}; polled by one thread. */
public final class LocalIntervalSource implements IntervalSource {
    private final LoadStats stats;

    public LocalIntervalSource(LoadStats stats) {
        this.stats = stats;
    }

    @Override
    public Interval poll() {
        // Fresh histograms (no recycling): the reporter keeps them in its cumulative totals and the log.
        Histogram latency = stats.latency().getIntervalHistogram();
        Histogram handshake = stats.handshake().getIntervalHistogram();
        return new Interval(stats.counters(), latency, handshake);
    }
}
