package dev.switchboard.loadgen.check;

import dev.switchboard.loadgen.check.Threshold.Verdict;
import dev.switchboard.loadgen.report.TargetSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The thresholds of a run and their verdicts. Unless the run names a
 * threshold on connect failures itself, {@value #DEFAULT} applies: a run
 * where connections fail (a closed port, a rejected token) never passes.
 */
public final class Thresholds {
    /** What a run must meet when it says nothing about connect failures. */
    public static final String DEFAULT = "connect_failures==0";

    private Thresholds() {
    }

    /** {@code given}, plus {@link #DEFAULT} unless one of them tests connect failures. */
    public static List<Threshold> withDefaults(List<Threshold> given) {
        List<Threshold> all = new ArrayList<>(given);
        boolean connects = given.stream().anyMatch(t -> t.metric() == ThresholdMetric.CONNECT_FAILURES
                || t.metric() == ThresholdMetric.CONNECT_FAILURE_RATE);
        if (!connects) {
            all.add(Threshold.parse(DEFAULT));
        }
        return List.copyOf(all);
    }

    /** Every threshold against every target, in order. */
    public static List<Verdict> check(List<Threshold> thresholds, List<TargetSummary> summaries) {
        List<Verdict> out = new ArrayList<>();
        for (Threshold t : thresholds) {
            for (TargetSummary s : summaries) {
                out.add(t.check(s));
            }
        }
        return out;
    }

    public static long failures(List<Verdict> verdicts) {
        return verdicts.stream().filter(v -> !v.passed()).count();
    }

    /** One line per verdict, {@code   ok    p99<50ms   switchboard   3.10ms}, aligned. */
    public static String render(List<Verdict> verdicts) {
        int expr = verdicts.stream().mapToInt(v -> v.threshold().expression().length()).max().orElse(0);
        int target = verdicts.stream().mapToInt(v -> v.target().length()).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (Verdict v : verdicts) {
            sb.append(String.format(Locale.ROOT, "  %-6s  %-" + expr + "s  %-" + target + "s  %s%n",
                    v.passed() ? "ok" : "FAILED", v.threshold().expression(), v.target(), v.measured()));
        }
        return sb.toString();
    }
}
