package dev.switchboard.bridge.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Owns which channels a broker wants to be subscribed to, and sends the changes
 * to Redis in batches: every change asked for within one window goes out as one
 * SUBSCRIBE and one UNSUBSCRIBE with many channels (a node that starts with
 * 10,000 memberships sends a few commands, not 10,000).
 *
 * <p>Flushes run on one single-threaded executor, so that the commands of
 * successive batches reach the connection in the order the changes were asked
 * for (a SUBSCRIBE never overtakes the UNSUBSCRIBE that came before it).
 * The wanted set outlives outages: channels whose SUBSCRIBE failed stay wanted and
 * go out again with {@link #resubscribeAll()} once the connection is back.
 */
final class SubscriptionBatcher {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** Sends one batch; every channel of a call belongs to one command (or, for the cluster, one per slot). */
    interface Sink {
        CompletionStage<Void> subscribe(List<String> channels);

        CompletionStage<Void> unsubscribe(List<String> channels);
    }

    private final Sink sink;
    private final ScheduledExecutorService executor;
    private final long windowNanos;
    private final int maxBatchSize;
    private final Function<Throwable, Throwable> translate;

    private final Object lock = new Object();
    /** Channel → completes when a SUBSCRIBE for it succeeded (replaced by a fresh one when it failed). */
    private final Map<String, CompletableFuture<Void>> wanted = new HashMap<>();
    private Map<String, CompletableFuture<Void>> toSubscribe = new LinkedHashMap<>();
    private Map<String, CompletableFuture<Void>> toUnsubscribe = new LinkedHashMap<>();
    private boolean flushScheduled;
    private boolean closed;

    /**
     * @param executor single-threaded: flushes must not overlap
     * @param translate maps a Lettuce failure to what the broker's callers see
     */
    SubscriptionBatcher(Sink sink, ScheduledExecutorService executor, long windowNanos, int maxBatchSize,
            Function<Throwable, Throwable> translate) {
        this.sink = sink;
        this.executor = executor;
        this.windowNanos = windowNanos;
        this.maxBatchSize = maxBatchSize;
        this.translate = translate;
    }

    CompletableFuture<Void> subscribe(String channel) {
        CompletableFuture<Void> superseded;
        CompletableFuture<Void> f;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker closed"));
            }
            f = wanted.get(channel);
            if (f != null) {
                return f;
            }
            f = new CompletableFuture<>();
            wanted.put(channel, f);
            // An unsubscribe still waiting in this window is cancelled by the subscribe; the SUBSCRIBE
            // goes out anyway, because we cannot know here whether the channel is subscribed in Redis.
            superseded = toUnsubscribe.remove(channel);
            toSubscribe.put(channel, f);
            scheduleFlushLocked();
        }
        if (superseded != null) {
            superseded.complete(null);
        }
        return f;
    }

    CompletableFuture<Void> unsubscribe(String channel) {
        CompletableFuture<Void> dropped;
        CompletableFuture<Void> u;
        synchronized (lock) {
            CompletableFuture<Void> f = wanted.remove(channel);
            if (f == null) {
                CompletableFuture<Void> pending = toUnsubscribe.get(channel);
                return pending != null ? pending : DONE;
            }
            // A SUBSCRIBE still waiting in this window is dropped: its caller no longer needs it.
            dropped = toSubscribe.remove(channel);
            u = new CompletableFuture<>();
            toUnsubscribe.put(channel, u);
            scheduleFlushLocked();
        }
        if (dropped != null) {
            dropped.complete(null);
        }
        return u;
    }

    /**
     * Redis confirmed a subscription that nobody wants (Lettuce resubscribed, after a reconnect,
     * a channel whose UNSUBSCRIBE had been rejected during the outage): take it back.
     */
    void ensureUnsubscribed(String channel) {
        synchronized (lock) {
            if (closed || wanted.containsKey(channel) || toUnsubscribe.containsKey(channel)) {
                return;
            }
            toUnsubscribe.put(channel, new CompletableFuture<>());
            scheduleFlushLocked();
        }
    }

    /**
     * Redis confirmed a subscription to a wanted channel. The SUBSCRIBE's own answer usually
     * completes its callers first; this matters when that command timed out on our side while the
     * connection stayed up (a stalled Redis, a starved node) and Redis executed it later: the
     * channel is subscribed, and callers that came after the timeout would otherwise wait for a
     * resubscribe that only a reconnect sends. A channel queued for the next batch is left to it.
     */
    void confirmed(String channel) {
        CompletableFuture<Void> waiting;
        synchronized (lock) {
            waiting = toSubscribe.containsKey(channel) ? null : wanted.get(channel);
        }
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    boolean isWanted(String channel) {
        synchronized (lock) {
            return wanted.containsKey(channel);
        }
    }

    int size() {
        synchronized (lock) {
            return wanted.size();
        }
    }

    Set<String> wanted() {
        synchronized (lock) {
            return Set.copyOf(wanted.keySet());
        }
    }

    /**
     * Sends SUBSCRIBE for every wanted channel (after whatever is pending) and completes with the
     * channels that are subscribed again. Used after a reconnect.
     */
    CompletableFuture<Set<String>> resubscribeAll() {
        return resubscribe(null);
    }

    /**
     * Sends SUBSCRIBE again for those of {@code channels} that are still wanted (all wanted channels
     * when null), e.g. after Redis Cluster moved their slot; completes with the channels sent.
     */
    CompletableFuture<Set<String>> resubscribe(Set<String> channels) {
        CompletableFuture<Set<String>> done = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                flush();
                // Fresh futures: a failed resubscribe must not fail callers who wait for a later one.
                Map<String, CompletableFuture<Void>> all = new LinkedHashMap<>();
                synchronized (lock) {
                    for (String ch : wanted.keySet()) {
                        if (channels == null || channels.contains(ch)) {
                            all.put(ch, new CompletableFuture<>());
                        }
                    }
                }
                if (all.isEmpty()) {
                    done.complete(Set.of());
                    return;
                }
                send(all, true).whenComplete((v, err) -> {
                    if (err != null) {
                        done.completeExceptionally(err);
                    } else {
                        done.complete(Set.copyOf(all.keySet()));
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Fails what is still pending; later calls fail at once. */
    void close() {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        synchronized (lock) {
            closed = true;
            pending.addAll(toSubscribe.values());
            pending.addAll(toUnsubscribe.values());
            toSubscribe.clear();
            toUnsubscribe.clear();
        }
        IllegalStateException e = new IllegalStateException("broker closed");
        pending.forEach(f -> f.completeExceptionally(e));
    }

    private void scheduleFlushLocked() {
        if (flushScheduled) {
            return;
        }
        flushScheduled = true;
        try {
            executor.schedule(this::flush, windowNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Only while shutting down; close() fails the pending futures.
            flushScheduled = false;
        }
    }

    private void flush() {
        Map<String, CompletableFuture<Void>> subs;
        Map<String, CompletableFuture<Void>> unsubs;
        synchronized (lock) {
            flushScheduled = false;
            subs = toSubscribe;
            unsubs = toUnsubscribe;
            toSubscribe = new LinkedHashMap<>();
            toUnsubscribe = new LinkedHashMap<>();
        }
        if (!unsubs.isEmpty()) {
            send(unsubs, false);
        }
        if (!subs.isEmpty()) {
            send(subs, true);
        }
    }

    /** Sends the channels in chunks of at most {@code maxBatchSize}; completes when all chunks are answered. */
    private CompletableFuture<Void> send(Map<String, CompletableFuture<Void>> batch, boolean subscribe) {
        List<String> channels = new ArrayList<>(batch.keySet());
        List<CompletableFuture<Void>> chunks = new ArrayList<>();
        for (int from = 0; from < channels.size(); from += maxBatchSize) {
            List<String> chunk = List.copyOf(channels.subList(from, Math.min(channels.size(), from + maxBatchSize)));
            CompletableFuture<Void> sent = new CompletableFuture<>();
            CompletionStage<Void> command;
            try {
                command = subscribe ? sink.subscribe(chunk) : sink.unsubscribe(chunk);
            } catch (RuntimeException e) {
                command = CompletableFuture.failedFuture(e);
            }
            command.whenComplete((v, err) -> {
                settle(chunk, batch, subscribe, err == null ? null : translate.apply(err));
                if (err == null) {
                    sent.complete(null);
                } else {
                    sent.completeExceptionally(translate.apply(err));
                }
            });
            chunks.add(sent);
        }
        return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new));
    }

    private void settle(List<String> chunk, Map<String, CompletableFuture<Void>> batch, boolean subscribe,
            Throwable error) {
        for (String channel : chunk) {
            CompletableFuture<Void> f = batch.get(channel);
            if (error == null) {
                f.complete(null);
                if (subscribe) {
                    completeWanted(channel);
                }
                continue;
            }
            if (subscribe) {
                // Still wanted: later subscribers wait for the resubscribe instead of seeing this failure.
                synchronized (lock) {
                    wanted.replace(channel, f, new CompletableFuture<>());
                }
            }
            f.completeExceptionally(error);
        }
    }

    /** A resubscribe also completes futures handed out while the channel was waiting for one. */
    private void completeWanted(String channel) {
        CompletableFuture<Void> current;
        synchronized (lock) {
            current = wanted.get(channel);
        }
        if (current != null) {
            current.complete(null);
        }
    }
}
