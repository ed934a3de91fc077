package dev.switchboard.edge.pipeline;

import java.util.concurrent.ConcurrentHashMap;

/**
 * New connections per second from one IP address: a token bucket per address
 * (burst = one second's worth), refilled lazily on use. Buckets idle for a
 * while are dropped by {@link #evictIdle}, so the map does not grow with every
 * address ever seen. A rate of 0 turns the limiter off.
 */
public final class ConnectRateLimiter {
    private static final long IDLE_NANOS = 60_000_000_000L;

    private final int ratePerSecond;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public ConnectRateLimiter(int ratePerSecond) {
        this.ratePerSecond = ratePerSecond;
    }

    public boolean tryAcquire(String ip) {
        if (ratePerSecond <= 0) {
            return true;
        }
        long now = System.nanoTime();
        Bucket b = buckets.computeIfAbsent(ip, k -> new Bucket(ratePerSecond, now));
        synchronized (b) {
            b.tokens = Math.min(ratePerSecond, b.tokens + (now - b.refilledAt) * ratePerSecond / 1e9);
            b.refilledAt = now;
            if (b.tokens < 1) {
                return false;
            }
            b.tokens -= 1;
            return true;
        }
    }

    /** Drops buckets unused for a minute; called by a timer. */
    public void evictIdle() {
        long now = System.nanoTime();
        buckets.values().removeIf(b -> now - b.refilledAt > IDLE_NANOS);
    }

    int size() {
        return buckets.size();
    }

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }
    }
}
