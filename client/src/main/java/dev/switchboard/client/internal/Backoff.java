package dev.switchboard.client.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential backoff with full jitter (attempt n waits a random
 * time up to min(max, base × 2^n)), so that a fleet of clients dropped at once does
 * not come back at once. The server's advice ({@code reconnect_after_ms}) is a
 * floor, jittered by up to +50 % as the protocol asks. Same rule as the TypeScript SDK.
 */
public final class Backoff {
    private final long baseMs;
    private final long maxMs;
    private final DoubleSupplier random;
    private int attempt;

    public Backoff(Duration base, Duration max, DoubleSupplier random) {
        this.baseMs = Math.max(1, base.toMillis());
        this.maxMs = Math.max(baseMs, max.toMillis());
        this.random = random;
    }

    /** The delay before the next attempt, at least {@code adviceMs} (0: no advice); counts the attempt. */
    public long nextDelayMs(long adviceMs) {
        long cap = Math.min(maxMs, baseMs << Math.min(attempt, 30));
        attempt++;
        long own = Math.min(cap, (long) Math.floor(random.getAsDouble() * (cap + 1)));
        long advised = adviceMs > 0 ? (long) Math.floor(adviceMs * (1 + random.getAsDouble() * 0.5)) : 0;
        return Math.max(own, advised);
    }

    public void reset() {
        attempt = 0;
    }
}
