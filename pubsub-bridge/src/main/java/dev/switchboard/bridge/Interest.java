package dev.switchboard.bridge;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reference-counted interest of one node in broker channels. The node is
 * subscribed to a channel while at least one holder needs it; when the last
 * holder releases it, the unsubscribe waits for a linger period so that churn
 * (a user reconnecting, a flapping tab) does not thrash the broker.
 *
 * <p>Thread-safe; called from every event loop. Who counts as a holder is the
 * caller's choice (the hub acquires once per event loop with local subscribers).
 */
public final class Interest {
    private static final Logger log = LoggerFactory.getLogger(Interest.class);

    private final Broker broker;
    private final ScheduledExecutorService timer;
    private final long lingerNanos;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public Interest(Broker broker, ScheduledExecutorService timer, Duration linger) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.lingerNanos = linger.toNanos();
    }

    /** Adds a holder; completes when the broker subscription is active. */
    public CompletableFuture<Void> acquire(String channel) {
        Entry e = entries.compute(channel, (ch, existing) -> {
            Entry entry = existing == null ? new Entry() : existing;
            entry.holders++;
            if (entry.pendingUnsubscribe != null) {
                entry.pendingUnsubscribe.cancel(false);
                entry.pendingUnsubscribe = null;
            }
            // A subscribe that failed (broker outage) is asked for again by the next holder.
            if (entry.subscribed == null || entry.subscribed.isCompletedExceptionally()) {
                entry.subscribed = broker.subscribe(ch);
            }
            return entry;
        });
        return e.subscribed;
    }

    /** Removes a holder; the last one schedules the unsubscribe after the linger. */
    public void release(String channel) {
        entries.computeIfPresent(channel, (ch, entry) -> {
            if (--entry.holders > 0) {
                return entry;
            }
            entry.holders = 0;
            if (lingerNanos <= 0) {
                unsubscribeNow(ch);
                return null;
            }
            entry.pendingUnsubscribe = timer.schedule(() -> expire(ch, entry), lingerNanos, TimeUnit.NANOSECONDS);
            return entry;
        });
    }

    private void expire(String channel, Entry expected) {
        entries.computeIfPresent(channel, (ch, entry) -> {
            if (entry != expected || entry.holders > 0) {
                return entry;
            }
            unsubscribeNow(ch);
            return null;
        });
    }

    private void unsubscribeNow(String channel) {
        broker.unsubscribe(channel).whenComplete((v, err) -> {
            if (err != null) {
                log.debug("unsubscribe {} failed: {}", channel, err.toString());
            }
        });
    }

    /**
     * For a caller that counts a channel's holders itself and keeps the state beside its own (the edge's per-user
     * records of personal channels, ADR 0015): subscribes now, not counted here. {@link #afterLinger} and
     * {@link #unsubscribeUncounted} end it with the same linger as a counted channel.
     */
    public CompletableFuture<Void> subscribeUncounted(String channel) {
        return broker.subscribe(channel);
    }

    /** Runs {@code expire} on the timer after the linger; null when there is no linger (unsubscribe at once). */
    public ScheduledFuture<?> afterLinger(Runnable expire) {
        return lingerNanos <= 0 ? null : timer.schedule(expire, lingerNanos, TimeUnit.NANOSECONDS);
    }

    /** Ends a subscription of {@link #subscribeUncounted}. */
    public void unsubscribeUncounted(String channel) {
        unsubscribeNow(channel);
    }

    /** Channels with at least one holder or still lingering (what the broker should be subscribed to); counted ones only. */
    public int size() {
        return entries.size();
    }

    /** Whether the node holds (or lingers on) a subscription to {@code channel}. */
    public boolean isSubscribed(String channel) {
        return entries.containsKey(channel);
    }

    private static final class Entry {
        int holders;
        CompletableFuture<Void> subscribed;
        ScheduledFuture<?> pendingUnsubscribe;
    }
}
