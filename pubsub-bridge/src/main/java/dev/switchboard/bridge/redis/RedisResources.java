package dev.switchboard.bridge.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;

/**
 * The one set of Lettuce client resources of a process (I/O threads, timers,
 * reconnect backoff), shared by every Redis client in it: the broker, the edge's
 * presence leases and registry entry, the message-service's presence reads and
 * the balancer's registry. Whoever starts the process creates it once, hands it
 * to each client, and closes it once, after the clients (ADR 0003).
 *
 * <p>Every client made here has the brokers' outage policy: commands are rejected
 * at once while disconnected (never queued) and every command times out, so a
 * Redis outage costs a caller at most the command timeout, never Lettuce's default
 * 60 s, and nothing stale is sent after it.
 *
 * <p>Lettuce's resources are made when the first client needs them, not before: a
 * process that runs without Redis (an edge on the in-memory broker) never loads
 * Lettuce, Reactor and Lettuce's JFR recorder (~600 classes, two threads, ~5 MB of
 * RSS at start; docs/benchmarks.md).
 */
public final class RedisResources implements AutoCloseable {
    private final RedisBrokerOptions options;
    private ClientResources lettuce;
    private boolean closed;

    private RedisResources(RedisBrokerOptions options) {
        this.options = options;
    }

    /** Resources sized and backed off as {@code options} say ({@link RedisBrokerOptions#ioThreads()}, reconnect delays). */
    public static RedisResources create(RedisBrokerOptions options) {
        return new RedisResources(options);
    }

    /** Resources with the broker's defaults. */
    public static RedisResources create() {
        return create(RedisBrokerOptions.defaults());
    }

    /** Lettuce's resources, made on the first call. */
    synchronized ClientResources lettuce() {
        if (closed) {
            throw new IllegalStateException("Redis resources are closed");
        }
        if (lettuce == null) {
            lettuce = LettuceSetup.resources(options);
        }
        return lettuce;
    }

    /**
     * A client of one standalone Redis on these resources that fails fast:
     * {@code connectTimeout} bounds connecting, {@code commandTimeout} every command,
     * and commands are rejected while disconnected. Shut it down with {@link #shutdown}.
     */
    public RedisClient client(String uri, Duration connectTimeout, Duration commandTimeout) {
        return client(RedisURI.create(uri), connectTimeout, commandTimeout);
    }

    /** As {@link #client(String, Duration, Duration)}; {@code redisUri}'s timeout is set to {@code connectTimeout}. */
    public RedisClient client(RedisURI redisUri, Duration connectTimeout, Duration commandTimeout) {
        redisUri.setTimeout(connectTimeout);
        RedisClient client = RedisClient.create(lettuce(), redisUri);
        client.setOptions(failFast(connectTimeout, commandTimeout));
        return client;
    }

    /** The outage policy of every client: reconnect by itself, reject while disconnected, time every command out. */
    public static ClientOptions failFast(Duration connectTimeout, Duration commandTimeout) {
        return LettuceSetup.clientOptions(RedisBrokerOptions.builder().connectTimeout(connectTimeout)
                .commandTimeout(commandTimeout).build());
    }

    /** Whether Lettuce's resources have been made (a client asked for them). */
    synchronized boolean made() {
        return lettuce != null;
    }

    /** Shuts a client made by {@link #client} down, waiting for its connections; the resources stay open. */
    public static void shutdown(AbstractRedisClient client) {
        Shutdown.quietly(client, null);
    }

    /** Shuts the resources down once (later calls do nothing); close the clients first. */
    @Override
    public void close() {
        ClientResources made;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            made = lettuce;
        }
        if (made != null) {
            Shutdown.resources(made);
        }
    }
}
