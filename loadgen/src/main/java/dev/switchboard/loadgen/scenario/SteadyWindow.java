package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.metrics.Counters;
import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.scenario.Results.Merge;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The measured window of a publishing scenario (after the warmup, until the
 * last scheduled publication), apart from the ramp before it and the drain
 * after it: the counters are taken at its two ends, on an event loop at the
 * scheduled instants, so rates over it are exact in every process. Each
 * process reports its own rates; the parent sums them ({@link Merge#SUM}).
 */
final class SteadyWindow {
    private final LoadStats stats;
    private final long startNanos;
    private final long endNanos;
    private final long startEpochMillis;
    private volatile Counters atStart;
    private volatile Counters atEnd;

    private SteadyWindow(LoadStats stats, long startNanos, long endNanos) {
        this.stats = stats;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        this.startEpochMillis = System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(startNanos - System.nanoTime());
    }

    /** Takes the counters at {@code startNanos} and {@code endNanos} (System.nanoTime() instants) on {@code executor}. */
    static SteadyWindow schedule(EventExecutor executor, LoadStats stats, long startNanos, long endNanos) {
        SteadyWindow w = new SteadyWindow(stats, startNanos, endNanos);
        long now = System.nanoTime();
        executor.schedule(() -> w.atStart = stats.counters(), Math.max(0, startNanos - now), TimeUnit.NANOSECONDS);
        executor.schedule(() -> w.atEnd = stats.counters(), Math.max(0, endNanos - now), TimeUnit.NANOSECONDS);
        return w;
    }

    /**
     * Puts the window's rates into {@code results}; nothing if the run ended before the window started. Called
     * on the scenario's own thread once publishing and the drain are over. The last publication is due a tick
     * before the window's end and the drain can end as soon as it is delivered, so the run may get here before
     * the window has closed, or before its event loop took the end snapshot: it waits for the end instant and
     * closes the window itself. Nothing is sent after the window, so that is the snapshot the event loop would
     * have taken, apart from deliveries that arrive meanwhile, which belong in the window anyway.
     */
    void report(Results results) throws InterruptedException {
        Counters a = atStart;
        Counters b = atEnd;
        if (a != null && b == null) {
            long left = endNanos - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            b = atEnd != null ? atEnd : stats.counters();
        }
        double seconds = (endNanos - startNanos) / 1e9;
        if (a == null || b == null || seconds <= 0) {
            return;
        }
        results.put("steady_seconds", Merge.MAX, seconds);
        results.put("steady_sent_per_s", Merge.SUM, (b.sent() - a.sent()) / seconds);
        results.put("steady_delivered_per_s", Merge.SUM, (b.delivered() - a.delivered()) / seconds);
        results.put("steady_errors", Merge.SUM, b.errorCount() - a.errorCount());
        results.put("steady_from_epoch_ms", Merge.MIN, startEpochMillis);
        results.put("steady_to_epoch_ms", Merge.MAX, startEpochMillis + TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos));
    }
}
