package dev.switchboard.loadgen.metrics;

import org.HdrHistogram.Histogram;

/**
 * One reporting interval: the cumulative counters at its end, and the
 * latencies recorded during it (microseconds).
 */
public record Interval(Counters counters, Histogram latency, Histogram handshake) {
}
