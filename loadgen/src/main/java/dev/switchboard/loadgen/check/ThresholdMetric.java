package dev.switchboard.loadgen.check;

import dev.switchboard.loadgen.ScenarioName;
import dev.switchboard.loadgen.metrics.ErrorKind;
import dev.switchboard.loadgen.report.TargetSummary;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** What a {@link Threshold} can test, in which unit, and how its value is read from a run's summary. */
public enum ThresholdMetric {
    /** End-to-end latency at a percentile ({@code p50}, {@code p99}, {@code p99.9}), {@code max} or {@code mean}, in ms. */
    LATENCY("pN|max|mean", Unit.MILLIS, EnumSet.of(ScenarioName.FANOUT, ScenarioName.CHAT)),
    /** Handshake latency (TCP connect to the protocol's hello), as {@code handshake_p99}, {@code handshake_max}. */
    HANDSHAKE("handshake_pN|handshake_max|handshake_mean", Unit.MILLIS, EnumSet.allOf(ScenarioName.class)),
    /** Errors of every kind over connection attempts plus publications sent. */
    ERROR_RATE("error_rate", Unit.FRACTION, EnumSet.allOf(ScenarioName.class), s -> ratio(s.counters().errorCount(),
            s.counters().attempts() + s.counters().sent())),
    /** Errors of every kind. */
    ERRORS("errors", Unit.COUNT, EnumSet.allOf(ScenarioName.class), s -> s.counters().errorCount()),
    /** Connections that never became ready: TCP connect and handshake errors. */
    CONNECT_FAILURES("connect_failures", Unit.COUNT, EnumSet.allOf(ScenarioName.class), ThresholdMetric::connectFailures),
    /** Connect failures over connection attempts. */
    CONNECT_FAILURE_RATE("connect_failure_rate", Unit.FRACTION, EnumSet.allOf(ScenarioName.class),
            s -> ratio(connectFailures(s), s.counters().attempts())),
    /** Deliveries received over deliveries expected. */
    DELIVERED("delivered", Unit.FRACTION, EnumSet.of(ScenarioName.FANOUT, ScenarioName.CHAT), null),
    /** Deliveries per second over the measured window (after the warmup, before the drain). */
    DELIVERED_PER_S("delivered_per_s", Unit.RATE, EnumSet.of(ScenarioName.FANOUT, ScenarioName.CHAT), null),
    /** Publications sent per second over the measured window. */
    SENT_PER_S("sent_per_s", Unit.RATE, EnumSet.of(ScenarioName.FANOUT, ScenarioName.CHAT), null),
    /** Connections that completed the protocol's hello (reconnects count again). */
    READY("ready", Unit.COUNT, EnumSet.allOf(ScenarioName.class), s -> s.counters().ready());

    private static final Pattern PERCENTILE = Pattern.compile("(handshake_)?p([0-9]+(?:\\.[0-9]+)?)");

    private final String name;
    private final Unit unit;
    private final Set<ScenarioName> scenarios;
    private final ToDoubleFunction<TargetSummary> reader;

    ThresholdMetric(String name, Unit unit, Set<ScenarioName> scenarios) {
        this(name, unit, scenarios, null);
    }

    ThresholdMetric(String name, Unit unit, Set<ScenarioName> scenarios, ToDoubleFunction<TargetSummary> reader) {
        this.name = name;
        this.unit = unit;
        this.scenarios = scenarios;
        this.reader = reader;
    }

    public Unit unit() {
        return unit;
    }

    boolean appliesTo(ScenarioName scenario) {
        return scenarios.contains(scenario);
    }

    /** A metric name resolved: the metric, and the percentile for pN names (else NaN, or 100 for max, -1 for mean). */
    record Match(ThresholdMetric metric, double percentile) {
    }

    static Optional<Match> find(String name) {
        Matcher p = PERCENTILE.matcher(name);
        if (p.matches()) {
            double level = Double.parseDouble(p.group(2));
            if (level <= 0 || level >= 100) {
                return Optional.empty();
            }
            return Optional.of(new Match(p.group(1) == null ? LATENCY : HANDSHAKE, level));
        }
        return switch (name) {
            case "max" -> Optional.of(new Match(LATENCY, 100));
            case "mean" -> Optional.of(new Match(LATENCY, -1));
            case "handshake_max" -> Optional.of(new Match(HANDSHAKE, 100));
            case "handshake_mean" -> Optional.of(new Match(HANDSHAKE, -1));
            default -> Arrays.stream(values()).filter(m -> m != LATENCY && m != HANDSHAKE && m.name.equals(name))
                    .findFirst().map(m -> new Match(m, Double.NaN));
        };
    }

    static String names() {
        return Arrays.stream(values()).map(m -> m.name).collect(Collectors.joining(", "));
    }

    OptionalDouble value(TargetSummary s, double percentile) {
        return switch (this) {
            case LATENCY -> latency(s.latency(), percentile);
            case HANDSHAKE -> latency(s.handshake(), percentile);
            case DELIVERED -> optional(s.deliveredFraction());
            case DELIVERED_PER_S -> optional(s.steadyDeliveredPerSecond() != null ? s.steadyDeliveredPerSecond() : s.deliveredPerSecond());
            case SENT_PER_S -> optional(s.steadySentPerSecond());
            default -> OptionalDouble.of(reader.applyAsDouble(s));
        };
    }

    private static OptionalDouble latency(Histogram h, double percentile) {
        if (h.getTotalCount() == 0) {
            return OptionalDouble.empty();
        }
        double micros = percentile < 0 ? h.getMean() : percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
        return OptionalDouble.of(micros / 1000.0);
    }

    private static OptionalDouble optional(Double v) {
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    private static double connectFailures(TargetSummary s) {
        return s.counters().errors(ErrorKind.CONNECT) + s.counters().errors(ErrorKind.HANDSHAKE);
    }

    private static double ratio(double part, double whole) {
        return whole <= 0 ? 0 : part / whole;
    }

    /** How a metric's limit is written and its value shown. */
    public enum Unit {
        /** Milliseconds; the limit takes {@code us}, {@code ms} (the default) or {@code s}. */
        MILLIS {
            @Override
            double parse(BigDecimal n, String unit) {
                return switch (unit) {
                    case "", "ms" -> n.doubleValue();
                    case "us" -> n.movePointLeft(3).doubleValue();
                    case "s" -> n.movePointRight(3).doubleValue();
                    default -> throw new IllegalArgumentException("a latency takes us, ms or s, not '" + unit + "'");
                };
            }

            @Override
            String format(double v) {
                return String.format(Locale.ROOT, "%.2fms", v);
            }
        },
        /** A fraction; the limit takes {@code %} or a plain fraction (0.001). */
        FRACTION {
            @Override
            double parse(BigDecimal n, String unit) {
                // Decimal arithmetic: 99.9% is the double nearest 0.999, as 9,990 of 10,000 delivered is.
                double f = switch (unit) {
                    case "%" -> n.movePointLeft(2).doubleValue();
                    case "" -> n.doubleValue();
                    default -> throw new IllegalArgumentException("a rate takes % or a fraction, not '" + unit + "'");
                };
                if (f > 1) {
                    throw new IllegalArgumentException("a rate is at most 100% (1.0)");
                }
                return f;
            }

            @Override
            String format(double v) {
                return String.format(Locale.ROOT, "%.3f%%", v * 100);
            }
        },
        /** A count; no unit. */
        COUNT {
            @Override
            double parse(BigDecimal n, String unit) {
                if (!unit.isEmpty()) {
                    throw new IllegalArgumentException("a count takes no unit, not '" + unit + "'");
                }
                return n.doubleValue();
            }

            @Override
            String format(double v) {
                return Long.toString((long) v);
            }
        },
        /** Per second; no unit. */
        RATE {
            @Override
            double parse(BigDecimal n, String unit) {
                if (!unit.isEmpty()) {
                    throw new IllegalArgumentException("a rate per second takes no unit, not '" + unit + "'");
                }
                return n.doubleValue();
            }

            @Override
            String format(double v) {
                return String.format(Locale.ROOT, "%.1f/s", v);
            }
        };

        abstract double parse(BigDecimal n, String unit);

        abstract String format(double v);
    }
}
