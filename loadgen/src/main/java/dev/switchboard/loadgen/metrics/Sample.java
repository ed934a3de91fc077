package dev.switchboard.loadgen.metrics;

import org.HdrHistogram.Histogram;

/**
 * One point of a run's time series, taken once a second by the reporter: what
 * was open, the cumulative counts, and the end-to-end latency of the deliveries
 * of that second (microseconds; zero when there were none). The HTML report
 * draws throughput, latency, connections and errors over time from these.
 *
 * @param seconds since the run started
 * @param errors cumulative errors per {@link ErrorKind}, indexed by ordinal
 */
public record Sample(double seconds, long open, long ready, long sent, long delivered, long[] errors,
                     long latencyCount, long p50, long p90, long p99, long max) {
    public Sample {
        errors = errors.clone();
    }

    static Sample of(double seconds, Counters c, Histogram latency) {
        boolean any = latency.getTotalCount() > 0;
        return new Sample(seconds, c.open(), c.ready(), c.sent(), c.delivered(), c.errors(), latency.getTotalCount(),
                any ? latency.getValueAtPercentile(50) : 0, any ? latency.getValueAtPercentile(90) : 0,
                any ? latency.getValueAtPercentile(99) : 0, any ? latency.getMaxValue() : 0);
    }

    public long errorCount() {
        long sum = 0;
        for (long e : errors) {
            sum += e;
        }
        return sum;
    }
}
