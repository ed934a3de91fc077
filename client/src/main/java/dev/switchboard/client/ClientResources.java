package dev.switchboard.client;

import dev.switchboard.client.internal.EventLoops;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The network threads that clients share: thousands of clients in one process use
 * one instance. Close it after the last client is closed.
 */
public final class ClientResources implements AutoCloseable {
    private final EventLoops loops;

    public ClientResources() {
        this(0);
    }

    /** {@code threads} network threads; 0 means one per core. */
    public ClientResources(int threads) {
        this.loops = new EventLoops(threads);
    }

    /** The SDK's transport (not part of the supported API). */
    public EventLoops eventLoops() {
        return loops;
    }

    /** Timers of the clients (reconnect delays, pings, token refresh); their tasks only hand work to a client's executor. */
    ScheduledExecutorService scheduler() {
        return loops.group();
    }

    @Override
    public void close() {
        loops.close();
    }
}
