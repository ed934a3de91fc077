package dev.switchboard.loadgen.protocol;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Wall-clock microseconds, the only time two processes on one machine agree
 * on ({@link System#nanoTime()} has an arbitrary origin per process). A
 * publisher anchors one instance when it starts and maps the intended
 * {@code nanoTime} of each send to wall-clock micros, so the schedule itself
 * stays monotonic.
 */
public final class WallClock {
    private final long baseNanos;
    private final long baseMicros;

    private WallClock(long baseNanos, long baseMicros) {
        this.baseNanos = baseNanos;
        this.baseMicros = baseMicros;
    }

    /** Anchors {@code System.nanoTime()} now to the wall clock now. */
    public static WallClock anchored() {
        return new WallClock(System.nanoTime(), nowMicros());
    }

    /** The wall-clock micros of a {@code System.nanoTime()} value. */
    public long toWallMicros(long nanos) {
        return baseMicros + TimeUnit.NANOSECONDS.toMicros(nanos - baseNanos);
    }

    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
