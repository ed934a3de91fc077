package dev.switchboard.balancer.internal;

import dev.switchboard.balancer.RegistryOptions;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small Lettuce client of the registry: one I/O thread (a beat or a read per
 * second is nothing), commands rejected while disconnected and timed out, like the
 * Redis bridge (a buffered heartbeat delivered after an outage would be a lie).
 */
public final class RedisClients {
    private static final Logger log = LoggerFactory.getLogger(RedisClients.class);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private RedisClients() {
    }

    /**
     * The registry's Redis: {@code redis://} or {@code rediss://}; of a comma-separated
     * list (the bridge's client-side sharding) the registry uses the first.
     */
    public static RedisURI uri(String spec) {
        String first = spec.split(",")[0].strip();
        if (!first.startsWith("redis://") && !first.startsWith("rediss://")) {
            throw new IllegalArgumentException("the registry needs a redis:// or rediss:// URI: " + spec);
        }
        return RedisURI.create(first);
    }

    public static ClientResources resources() {
        return ClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
    }

    public static RedisClient client(ClientResources resources, String spec, RegistryOptions options) {
        RedisClient client = RedisClient.create(resources, uri(spec));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.builder().fixedTimeout(options.commandTimeout()).build())
                .socketOptions(SocketOptions.builder().connectTimeout(options.connectTimeout()).keepAlive(true).build())
                .build());
        return client;
    }

    /** Shuts the client and its resources down, waiting for their threads. */
    public static void shutdown(RedisClient client, ClientResources resources) {
        try {
            client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("registry Redis client did not shut down cleanly", e);
        }
        try {
            resources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("registry Redis resources did not shut down cleanly", e);
        }
    }
}
