package dev.switchboard.loadgen.metrics;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Once a second: polls an {@link IntervalSource}, adds the interval to the
 * run's cumulative histograms, hands it to an optional interval sink (the
 * HdrHistogram log) and prints a progress line. Runs on its own thread, never
 * on an event loop (it writes to files and the terminal).
 */
public final class ProgressReporter implements AutoCloseable {
    /** What the reporter knows at the end of a run. */
    public record Recording(Counters counters, Histogram latency, Histogram handshake, double seconds,
                            long startEpochMillis, List<Sample> series) {
    }

    private final IntervalSource source;
    private final PrintStream out;
    private final String label;
    private final Consumer<Interval> sink;
    private final Histogram latency = HistogramCodec.empty();
    private final Histogram handshake = HistogramCodec.empty();
    private final ScheduledExecutorService timer;
    private final long startNanos = System.nanoTime();
    private final long startEpochMillis = System.currentTimeMillis();
    private final List<Sample> series = new ArrayList<>();
    private Counters last = Counters.ZERO;
    private long lastNanos = startNanos;

    /**
     * @param out where progress lines go; null for none
     * @param sink receives every interval after it is counted (e.g. the log writer); called on the reporter thread
     */
    public ProgressReporter(IntervalSource source, PrintStream out, String label, Consumer<Interval> sink) {
        this.source = source;
        this.out = out;
        this.label = label;
        this.sink = sink;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadgen-report");
            t.setDaemon(true);
            return t;
        });
    }

    public ProgressReporter start() {
        timer.scheduleAtFixedRate(this::safeTick, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            // A periodic task that throws is cancelled silently: report and keep going.
            if (out != null) {
                out.println("loadgen: reporter failed: " + e);
            }
        }
    }

    private synchronized void tick() {
        Interval i = source.poll();
        latency.add(i.latency());
        handshake.add(i.handshake());
        long now = System.nanoTime();
        series.add(Sample.of((now - startNanos) / 1e9, i.counters(), i.latency()));
        if (sink != null) {
            sink.accept(i);
        }
        if (out != null) {
            out.println(line(i.counters(), last, (now - lastNanos) / 1e9, (now - startNanos) / 1e9));
        }
        last = i.counters();
        lastNanos = now;
    }

    String line(Counters c, Counters prev, double intervalSeconds, double elapsedSeconds) {
        double dt = Math.max(intervalSeconds, 1e-3);
        return String.format(Locale.ROOT,
                "[%s] %5.0fs conns=%d ready=%d subs=%d sent/s=%.0f delivered/s=%.0f p50=%s p99=%s max=%s errors=%s%s",
                label, elapsedSeconds, c.open(), c.ready(), c.subscribed(), (c.sent() - prev.sent()) / dt,
                (c.delivered() - prev.delivered()) / dt, millis(latency, 50), millis(latency, 99),
                latency.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.2fms", latency.getMaxValue() / 1000.0),
                c.describeErrors(), c.errorCount() == 0 ? "" : " [" + c.describeTopReasons() + "]");
    }

    private static String millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.2fms", h.getValueAtPercentile(percentile) / 1000.0);
    }

    /** Takes a last interval, stops the timer and returns the totals. */
    public synchronized Recording finish() {
        timer.shutdownNow();
        tick();
        return new Recording(last, latency.copy(), handshake.copy(), (System.nanoTime() - startNanos) / 1e9, startEpochMillis,
                List.copyOf(series));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
