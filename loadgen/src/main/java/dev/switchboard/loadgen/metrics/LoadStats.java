package dev.switchboard.loadgen.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * The live counters and latency recorders of one process, written from every
 * event loop (hence {@link LongAdder} and HdrHistogram {@link Recorder}, which
 * are safe for concurrent writers and never block them) and read once a second
 * by the reporter.
 *
 * <p>Latencies are in microseconds. End-to-end latency is measured from the
 * intended send time carried in the payload, so a publisher that falls behind
 * its schedule shows up as latency (no coordinated omission).
 */
public final class LoadStats {
    /** Highest latency we track: an hour, in microseconds. */
    public static final long MAX_LATENCY_MICROS = TimeUnit.HOURS.toMicros(1);
    private static final int SIGNIFICANT_DIGITS = 3;
    /** Distinct error reasons kept per process; further ones count as {@link ErrorReason#OTHER}. */
    static final int MAX_REASONS = 64;

    private final AtomicLong open = new AtomicLong();
    private final LongAdder attempts = new LongAdder();
    private final LongAdder ready = new LongAdder();
    private final LongAdder subscribed = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder[] errors = new LongAdder[ErrorKind.values().length];
    private final Map<ErrorReason, LongAdder> reasons = new ConcurrentHashMap<>();
    private final Recorder latency = new Recorder(1, MAX_LATENCY_MICROS, SIGNIFICANT_DIGITS);
    private final Recorder handshake = new Recorder(1, MAX_LATENCY_MICROS, SIGNIFICANT_DIGITS);
    /** Deliveries sent before this wall-clock time (warmup) are counted but not recorded. */
    private volatile long recordFromMicros = Long.MAX_VALUE;

    public LoadStats() {
        for (int i = 0; i < errors.length; i++) {
            errors[i] = new LongAdder();
        }
    }

    public void connectAttempt() { attempts.increment(); }
    public void opened() { open.incrementAndGet(); }
    public void closed() { open.decrementAndGet(); }
    public void subscribed() { subscribed.increment(); }
    public void sent() { sent.increment(); }

    /** Counts an error of {@code kind} for {@code reason} (see {@link FailureReasons}); never blocks. */
    public void error(ErrorKind kind, String reason) {
        errors[kind.ordinal()].increment();
        ErrorReason key = new ErrorReason(kind, reason);
        LongAdder count = reasons.get(key);
        if (count == null) {
            if (reasons.size() >= MAX_REASONS) {
                key = new ErrorReason(kind, ErrorReason.OTHER);
            }
            count = reasons.computeIfAbsent(key, k -> new LongAdder());
        }
        count.increment();
    }

    public void ready(long handshakeMicros) {
        ready.increment();
        handshake.recordValue(clamp(handshakeMicros));
    }

    /** A publication arrived: {@code sentMicros} is its intended send time (wall clock), {@code nowMicros} the arrival. */
    public void delivered(long sentMicros, long nowMicros) {
        delivered.increment();
        if (sentMicros >= recordFromMicros) {
            latency.recordValue(clamp(nowMicros - sentMicros));
        }
    }

    /** Start recording end-to-end latency of publications intended at or after {@code wallMicros}. */
    public void recordFrom(long wallMicros) {
        recordFromMicros = wallMicros;
    }

    public Counters counters() {
        long[] e = new long[errors.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = errors[i].sum();
        }
        Map<ErrorReason, Long> r = new HashMap<>();
        reasons.forEach((k, v) -> r.put(k, v.sum()));
        return new Counters(open.get(), attempts.sum(), ready.sum(), subscribed.sum(), sent.sum(), delivered.sum(), e, r);
    }

    public long readyCount() { return ready.sum(); }
    public long subscribedCount() { return subscribed.sum(); }
    public long openCount() { return open.get(); }
    public long errorCount(ErrorKind kind) { return errors[kind.ordinal()].sum(); }

    public Recorder latency() { return latency; }
    public Recorder handshake() { return handshake; }

    private static long clamp(long micros) {
        // Clocks of two processes may disagree by a few microseconds; never record below 1 or past the range.
        return Math.max(1, Math.min(MAX_LATENCY_MICROS, micros));
    }
}
