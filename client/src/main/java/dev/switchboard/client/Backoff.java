package dev.switchboard.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: the n-th attempt waits a random time
 * up to min(max, base × 2^n), so a fleet of clients dropped at once does not
 * come back at once.
 */
public final class Backoff {
    private final long baseMs;
    private final long maxMs;
    private int attempt;

    public Backoff(Duration base, Duration max) {
        this.baseMs = Math.max(1, base.toMillis());
        this.maxMs = Math.max(baseMs, max.toMillis());
    }

    /** The delay before the next attempt; also counts the attempt. */
    public long nextDelayMs() {
        long cap = Math.min(maxMs, baseMs << Math.min(attempt, 30));
        attempt++;
        return ThreadLocalRandom.current().nextLong(cap + 1);
    }

    public void reset() {
        attempt = 0;
    }

    int attempts() {
        return attempt;
    }
}
