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
import java.util.function.IntFunction;

/**
 * The connections of one range of global indices, opened at a paced rate by
 * one tick on one event loop (no timer per connection), each subscribing to
 * its channel as soon as it is ready. Counts what happened so the scenario
 * thread can wait for it.
 */
public final class ConnectionSet implements ConnectionEvents {
    private static final int MAX_CONNECTS_PER_TICK = 2_000;

    private final int from;
    private final LoadConnection[] connections;
    private final IntFunction<String> channelOf;
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger subscribed = new AtomicInteger();
    private volatile long lastReadyNanos;
    private volatile long lastSubscribedNanos;

    /**
     * @param channelOf the channel connection {@code i} (global index) subscribes to when ready; null for none
     */
    public ConnectionSet(int from, int to, IntFunction<String> channelOf) {
        this.from = from;
        this.connections = new LoadConnection[to - from];
        this.channelOf = channelOf;
    }

    /** Opens every connection of the range at {@code ratePerSecond}; the task completes when all were started. */
    public PacedTask open(Dialer dialer, EventExecutor executor, double ratePerSecond) {
        RatePacer pacer = new RatePacer(System.nanoTime(), ratePerSecond, connections.length);
        return PacedTask.start(executor, pacer, (k, intended) -> {
            int i = (int) k;
            connections[i] = dialer.connect(from + i, this);
        }, MAX_CONNECTS_PER_TICK);
    }

    public int size() { return connections.length; }
    public int ready() { return ready.get(); }
    public int failed() { return failed.get(); }
    public int closed() { return closed.get(); }
    public int subscribed() { return subscribed.get(); }
    public long lastReadyNanos() { return lastReadyNanos; }
    public long lastSubscribedNanos() { return lastSubscribedNanos; }

    /** Every connection is ready or failed. */
    public boolean settled() {
        return ready.get() + failed.get() >= connections.length;
    }

    /** The ready connections (call after {@link #open}'s task completed). */
    public List<LoadConnection> readyConnections() {
        List<LoadConnection> out = new ArrayList<>();
        for (LoadConnection c : connections) {
            if (c != null && c.isReady()) {
                out.add(c);
            }
        }
        return out;
    }

    /** Closes every connection; {@link #closed()} counts them down. */
    public void closeAll() {
        for (LoadConnection c : connections) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Override
    public void onReady(LoadConnection c) {
        ready.incrementAndGet();
        lastReadyNanos = System.nanoTime();
        if (channelOf != null) {
            c.subscribe(channelOf.apply(c.index()));
        }
    }

    @Override
    public void onSubscribed(LoadConnection c) {
        subscribed.incrementAndGet();
        lastSubscribedNanos = System.nanoTime();
    }

    @Override
    public void onClosed(LoadConnection c, boolean wasReady) {
        if (!wasReady) {
            failed.incrementAndGet();
        }
        closed.incrementAndGet();
    }
}
