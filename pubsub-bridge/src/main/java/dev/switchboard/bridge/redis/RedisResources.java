package dev.switchboard.bridge.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

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
 */
public final class RedisResources implements AutoCloseable {
    private final ClientResources lettuce;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisResources(ClientResources lettuce) {
        this.lettuce = lettuce;
    }

    /** Resources sized and backed off as {@code options} say ({@link RedisBrokerOptions#ioThreads()}, reconnect delays). */
    public static RedisResources create(RedisBrokerOptions options) {
        return new RedisResources(LettuceSetup.resources(options));
    }

    /** Resources with the broker's defaults. */
    public static RedisResources create() {
        return create(RedisBrokerOptions.defaults());
    }

    ClientResources lettuce() {
        if (closed.get()) {
            throw new IllegalStateException("Redis resources are closed");
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

    /** Shuts a client made by {@link #client} down, waiting for its connections; the resources stay open. */
    public static void shutdown(AbstractRedisClient client) {
        Shutdown.quietly(client, null);
    }

    /** Shuts the resources down once (later calls do nothing); close the clients first. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Shutdown.resources(lettuce);
        }
    }
}
