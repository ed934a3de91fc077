package dev.switchboard.loadgen.report;

import dev.switchboard.loadgen.metrics.Counters;
import dev.switchboard.loadgen.metrics.Sample;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one scenario against one target: counters, the run's
 * latency and handshake histograms (microseconds), the scenario's own
 * figures and the time series (one sample a second). What every report format
 * and the thresholds are made from.
 */
public record TargetSummary(String label, String url, String scenario, double seconds, Counters counters,
                            Histogram latency, Histogram handshake, Map<String, Double> results,
                            long startEpochMillis, List<Sample> series) {
    public TargetSummary {
        results = Map.copyOf(new java.util.LinkedHashMap<>(results));
        series = List.copyOf(series);
    }

    /** Delivered publications per second over the whole run (ramp and drain included). */
    public double deliveredPerSecond() {
        return seconds > 0 ? counters.delivered() / seconds : 0;
    }

    /** Delivered publications per second over the measured window, or null for scenarios without one. */
    public Double steadyDeliveredPerSecond() {
        return results.get("steady_delivered_per_s");
    }

    /** Publications sent per second over the measured window, or null for scenarios without one. */
    public Double steadySentPerSecond() {
        return results.get("steady_sent_per_s");
    }

    /** Delivered over expected deliveries (fanout, chat), or null when the scenario expects none. */
    public Double deliveredFraction() {
        Double expected = results.get("expected_deliveries");
        return expected == null || expected <= 0 ? null : counters.delivered() / expected;
    }
}
