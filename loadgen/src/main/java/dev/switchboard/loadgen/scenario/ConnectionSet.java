package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.metrics.PacedTask;
import dev.switchboard.loadgen.metrics.RatePacer;
import dev.switchboard.loadgen.net.ConnectionEvents;
import dev.switchboard.loadgen.net.Dialer;
import dev.switchboard.loadgen.net.LoadConnection;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * The connections of one range of global indices, opened at a paced rate by
 * one tick on one event loop (no timer per connection), or with a fixed number
 * of handshakes in flight (the next connection starts when one is ready and
 * subscribed, or failed), each subscribing to its channel as soon as it is
 * ready. Counts what happened so the scenario thread can wait for it.
 */
public final class ConnectionSet implements ConnectionEvents {
    private static final int MAX_CONNECTS_PER_TICK = 2_000;

    private final int from;
    /** Written by whichever thread starts a connection, read by the scenario thread. */
    private final AtomicReferenceArray<LoadConnection> connections;
    private final IntFunction<String> channelOf;
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger subscribed = new AtomicInteger();
    /** Closed model: the next index to start, and whether connection i gave its slot back (its loop only). */
    private final AtomicInteger nextToStart = new AtomicInteger();
    private final boolean[] slotFreed;
    private volatile Dialer concurrentDialer;
    private volatile EventExecutor starter;
    private volatile long startNanos;
    private volatile long lastReadyNanos;
    private volatile long lastSubscribedNanos;

    /**
     * @param channelOf the channel connection {@code i} (global index) subscribes to when ready; null for none
     */
    public ConnectionSet(int from, int to, IntFunction<String> channelOf) {
        this.from = from;
        this.connections = new AtomicReferenceArray<>(to - from);
        this.channelOf = channelOf;
        this.slotFreed = new boolean[to - from];
    }

    /**
     * Opens every connection of the range: with {@code concurrency} handshakes in flight when it is
     * positive (closed model), else at {@code ratePerSecond} on {@code executor} (open model).
     */
    public void open(Dialer dialer, EventExecutor executor, double ratePerSecond, int concurrency) {
        if (concurrency <= 0) {
            open(dialer, executor, ratePerSecond);
            return;
        }
        startNanos = System.nanoTime();
        starter = executor;
        concurrentDialer = dialer;
        executor.execute(() -> {
            for (int k = 0; k < Math.min(concurrency, connections.length()); k++) {
                startNext();
            }
        });
    }

    private void startNext() {
        int i = nextToStart.getAndIncrement();
        if (i < connections.length()) {
            connections.set(i, concurrentDialer.connect(from + i, this));
        }
    }

    /** A closed-model handshake completed or failed: its slot goes to the next connection, once. */
    private void freeSlot(LoadConnection c) {
        int i = c.index() - from;
        if (concurrentDialer != null && !slotFreed[i]) {
            slotFreed[i] = true;
            // Through the starter's queue: a connect that fails at once calls back here, and must not recurse.
            starter.execute(this::startNext);
        }
    }

    /** Opens every connection of the range at {@code ratePerSecond}; the task completes when all were started. */
    public PacedTask open(Dialer dialer, EventExecutor executor, double ratePerSecond) {
        startNanos = System.nanoTime();
        RatePacer pacer = new RatePacer(startNanos, ratePerSecond, connections.length());
        return PacedTask.start(executor, pacer, (k, intended) -> {
            int i = (int) k;
            connections.set(i, dialer.connect(from + i, this));
        }, MAX_CONNECTS_PER_TICK);
    }

    public int size() { return connections.length(); }
    public int ready() { return ready.get(); }
    public int failed() { return failed.get(); }
    public int closed() { return closed.get(); }
    public int subscribed() { return subscribed.get(); }
    public long lastReadyNanos() { return lastReadyNanos; }
    public long lastSubscribedNanos() { return lastSubscribedNanos; }
    /** When {@code open} began. */
    public long startNanos() { return startNanos; }

    /** Every connection is ready or failed. */
    public boolean settled() {
        return ready.get() + failed.get() >= connections.length();
    }

    /** The ready connections (call after {@link #open}'s task completed). */
    public List<LoadConnection> readyConnections() {
        List<LoadConnection> out = new ArrayList<>();
        for (int i = 0; i < connections.length(); i++) {
            LoadConnection c = connections.get(i);
            if (c != null && c.isReady()) {
                out.add(c);
            }
        }
        return out;
    }

    /** Closes every connection; {@link #closed()} counts them down. */
    public void closeAll() {
        for (int i = 0; i < connections.length(); i++) {
            LoadConnection c = connections.get(i);
            if (c != null) {
                c.close();
            }
        }
    }

    @Override
    public String firstChannel(LoadConnection c) {
        return channelOf == null ? null : channelOf.apply(c.index());
    }

    @Override
    public void onReady(LoadConnection c) {
        ready.incrementAndGet();
        lastReadyNanos = System.nanoTime();
        if (c.subscribedWithHello()) {
            return; // the subscribe went with the hello; its reply frees the slot
        }
        if (channelOf != null) {
            c.subscribe(channelOf.apply(c.index()));
        } else {
            freeSlot(c);
        }
    }

    @Override
    public void onSubscribed(LoadConnection c) {
        subscribed.incrementAndGet();
        lastSubscribedNanos = System.nanoTime();
        freeSlot(c);
    }

    @Override
    public void onClosed(LoadConnection c, boolean wasReady) {
        if (!wasReady) {
            failed.incrementAndGet();
        }
        closed.incrementAndGet();
        freeSlot(c);
    }
}
