package dev.switchboard.balancer.internal;

import dev.switchboard.balancer.RegistryOptions;
import dev.switchboard.bridge.redis.RedisResources;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;

/**
 * The registry's Lettuce client, on the process's shared {@link RedisResources}:
 * commands rejected while disconnected and timed out, like the Redis bridge (a
 * buffered heartbeat delivered after an outage would be a lie).
 */
public final class RedisClients {
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

    public static RedisClient client(RedisResources resources, String spec, RegistryOptions options) {
        return resources.client(uri(spec), options.connectTimeout(), options.commandTimeout());
    }

    /** Shuts the client down, then {@code owned} (resources made for it alone; null when shared). */
    public static void shutdown(RedisClient client, RedisResources owned) {
        RedisResources.shutdown(client);
        if (owned != null) {
            owned.close();
        }
    }
}
