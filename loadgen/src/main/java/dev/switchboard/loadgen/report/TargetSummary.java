package dev.switchboard.loadgen.report;

import dev.switchboard.loadgen.metrics.Counters;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one scenario against one target: counters, the run's
 * latency and handshake histograms (microseconds) and the scenario's own
 * figures. What every report format is made from.
 */
public record TargetSummary(String label, String url, String scenario, double seconds, Counters counters,
                            Histogram latency, Histogram handshake, Map<String, Double> results) {
    public TargetSummary {
        results = Map.copyOf(new java.util.LinkedHashMap<>(results));
    }

    /** Delivered publications per second over the run. */
    public double deliveredPerSecond() {
        return seconds > 0 ? counters.delivered() / seconds : 0;
    }
}
