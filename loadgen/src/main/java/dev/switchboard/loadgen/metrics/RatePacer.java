package dev.switchboard.loadgen.metrics;

/**
 * The schedule of an open-model load: event {@code k} (from 0) is intended at
 * {@code start + k / rate}, whatever happened to earlier events. Callers ask how
 * many events are due by now and send them with their intended times, so a
 * sender that falls behind sends a burst to catch up and the lateness is
 * measured instead of silently lowering the offered rate.
 *
 * <p>Pure arithmetic on nanosecond timestamps; immutable.
 */
public final class RatePacer {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long startNanos;
    private final double ratePerSecond;
    private final long total;

    /**
     * @param startNanos intended time of event 0 ({@link System#nanoTime()} scale)
     * @param ratePerSecond events per second, > 0
     * @param total events in all; the schedule ends there
     */
    public RatePacer(long startNanos, double ratePerSecond, long total) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number: " + ratePerSecond);
        }
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0: " + total);
        }
        this.startNanos = startNanos;
        this.ratePerSecond = ratePerSecond;
        this.total = total;
    }

    /** The intended time of event {@code k}. */
    public long intendedNanos(long k) {
        return startNanos + (long) (k * (NANOS_PER_SECOND / ratePerSecond));
    }

    /** How many events (counted from 0) are due at {@code nowNanos}: at most {@link #total()}. */
    public long dueAt(long nowNanos) {
        long elapsed = nowNanos - startNanos;
        if (elapsed < 0) {
            return 0;
        }
        long due = (long) Math.floor(elapsed * ratePerSecond / NANOS_PER_SECOND) + 1;
        // The double arithmetic above may disagree with intendedNanos at a boundary, either way:
        // intendedNanos is the schedule, so settle on it.
        while (intendedNanos(due) <= nowNanos && due < total) {
            due++;
        }
        while (due > 0 && intendedNanos(due - 1) > nowNanos) {
            due--;
        }
        return Math.min(due, total);
    }

    public long total() {
        return total;
    }

    public long startNanos() {
        return startNanos;
    }

    /** When the last event is intended. */
    public long endNanos() {
        return total == 0 ? startNanos : intendedNanos(total - 1);
    }

    /** Events in {@code seconds} at {@code rate} per second, rounded down, at least 0. */
    public static long count(double ratePerSecond, double seconds) {
        return Math.max(0, (long) Math.floor(ratePerSecond * seconds));
    }
}
