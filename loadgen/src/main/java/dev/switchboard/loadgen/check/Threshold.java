package dev.switchboard.loadgen.check;

import dev.switchboard.loadgen.ScenarioName;
import dev.switchboard.loadgen.report.TargetSummary;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pass/fail criterion of a run, as k6 and Gatling have them:
 * {@code p99<50ms}, {@code error_rate<0.1%}, {@code delivered>=99.9%},
 * {@code connect_failures==0}. Every target of the run must meet every
 * threshold, or loadgen exits 1. {@link ThresholdMetric} lists the metrics.
 *
 * @param expression the text as given, for reports
 * @param limit in the metric's unit: milliseconds, a fraction (0..1), a count, or per second
 */
public record Threshold(String expression, ThresholdMetric metric, String metricName, double percentile, Op op, double limit) {
    private static final Pattern SYNTAX = Pattern.compile("\\s*([a-z_]+(?:[0-9.]+)?)\\s*(<=|>=|==|<|>)\\s*([0-9.]+)\\s*([a-z%]*)\\s*");

    /** A comparison between the measured value and the limit. */
    public enum Op {
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("==");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        boolean test(double value, double limit) {
            return switch (this) {
                case LT -> value < limit;
                case LE -> value <= limit;
                case GT -> value > limit;
                case GE -> value >= limit;
                case EQ -> value == limit;
            };
        }

        static Op of(String s) {
            for (Op o : values()) {
                if (o.symbol.equals(s)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown comparison " + s);
        }
    }

    /** Parses {@code METRIC OP VALUE[UNIT]}; the message of the exception says what is wrong and what is allowed. */
    public static Threshold parse(String text) {
        Matcher m = SYNTAX.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("threshold '" + text + "': expected METRIC OP VALUE, e.g. p99<50ms, "
                    + "error_rate<0.1%, delivered>=99.9%, connect_failures==0 (metrics: " + ThresholdMetric.names() + ")");
        }
        String name = m.group(1);
        ThresholdMetric.Match metric = ThresholdMetric.find(name).orElseThrow(() -> new IllegalArgumentException(
                "threshold '" + text + "': unknown metric '" + name + "'; metrics: " + ThresholdMetric.names()));
        double limit;
        try {
            limit = metric.metric().unit().parse(new java.math.BigDecimal(m.group(3)), m.group(4));
        } catch (IllegalArgumentException e) { // NumberFormatException included: "1.2.3"
            throw new IllegalArgumentException("threshold '" + text + "': " + e.getMessage(), e);
        }
        return new Threshold(text.strip(), metric.metric(), name, metric.percentile(), Op.of(m.group(2)), limit);
    }

    /** Whether the metric has a value in {@code scenario} (latency exists only where something is published). */
    public boolean appliesTo(ScenarioName scenario) {
        return metric.appliesTo(scenario);
    }

    /** The measured value, in the metric's unit; empty when the run produced none (which fails the threshold). */
    public OptionalDouble value(TargetSummary s) {
        return metric.value(s, percentile);
    }

    /** The verdict for one target. */
    public Verdict check(TargetSummary s) {
        OptionalDouble v = value(s);
        return new Verdict(this, s.label(), v, v.isPresent() && op.test(v.getAsDouble(), limit));
    }

    /** The value as the metric's unit writes it: {@code 12.30ms}, {@code 99.95%}, {@code 40}. */
    public String format(double value) {
        return metric.unit().format(value);
    }

    /**
     * One threshold's outcome for one target.
     *
     * @param value empty when there was nothing to measure
     */
    public record Verdict(Threshold threshold, String target, OptionalDouble value, boolean passed) {
        /** {@code 12.30ms}, or {@code no data}. */
        public String measured() {
            return value.isPresent() ? threshold.format(value.getAsDouble()) : "no data";
        }
    }
}
