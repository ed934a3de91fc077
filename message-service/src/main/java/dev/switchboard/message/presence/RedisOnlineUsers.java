package dev.switchboard.message.presence;

import dev.switchboard.bridge.redis.RedisResources;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the presence leases that edge nodes keep in Redis (format in
 * {@link PresenceKeys}). One {@code HVALS} per asked user, issued together on one
 * connection (Lettuce pipelines them), so a channel of N members costs one round
 * trip. Standalone Redis: the keys of one lookup may hash to different cluster
 * slots. Lease expiries are compared with this process's clock, so node clocks
 * must agree to well within the lease TTL (NTP does).
 */
public final class RedisOnlineUsers implements OnlineUsers, AutoCloseable {
    private final RedisClient client;
    /** Resources made for this reader alone (closed with it), or null when the process shares its own. */
    private final RedisResources ownedResources;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final Clock clock;

    private RedisOnlineUsers(RedisClient client, RedisResources ownedResources,
                             StatefulRedisConnection<String, String> connection, Clock clock) {
        this.client = client;
        this.ownedResources = ownedResources;
        this.connection = connection;
        this.redis = connection.async();
        this.clock = clock;
    }

    /** Connects on resources of its own (failing fast if Redis is down); {@code timeout} bounds every lookup. */
    public static RedisOnlineUsers connect(String redisUri, Duration timeout, Clock clock) {
        RedisResources own = RedisResources.create();
        try {
            return connect(own, own, redisUri, timeout, clock);
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
    }

    /**
     * Connects on the process's {@code shared} resources. {@code timeout} bounds connecting and
     * every lookup; while Redis is unreachable a lookup fails at once (nothing is queued).
     */
    public static RedisOnlineUsers connect(RedisResources shared, String redisUri, Duration timeout, Clock clock) {
        return connect(shared, null, redisUri, timeout, clock);
    }

    private static RedisOnlineUsers connect(RedisResources resources, RedisResources owned, String redisUri,
                                            Duration timeout, Clock clock) {
        RedisClient client = resources.client(redisUri, timeout, timeout);
        try {
            return new RedisOnlineUsers(client, owned, client.connect(), clock);
        } catch (RuntimeException e) {
            RedisResources.shutdown(client);
            throw e;
        }
    }

    @Override
    public CompletableFuture<Set<String>> online(String org, Collection<String> userIds) {
        List<String> users = List.copyOf(userIds);
        List<CompletableFuture<List<String>>> leases = new ArrayList<>(users.size());
        for (String u : users) {
            RedisFuture<List<String>> f = redis.hvals(PresenceKeys.key(org, u));
            leases.add(f.toCompletableFuture());
        }
        return CompletableFuture.allOf(leases.toArray(CompletableFuture[]::new)).thenApply(v -> {
            long now = clock.millis();
            Set<String> out = new HashSet<>();
            for (int i = 0; i < users.size(); i++) {
                if (leases.get(i).join().stream().anyMatch(value -> PresenceKeys.isLive(value, now))) {
                    out.add(users.get(i));
                }
            }
            return out;
        });
    }

    /** One {@code HMGET} of the organisation's last-seen hash ({@link PresenceKeys#lastSeenKey}). */
    @Override
    public CompletableFuture<Map<String, Instant>> lastSeen(String org, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return redis.hmget(PresenceKeys.lastSeenKey(org), userIds.toArray(String[]::new)).toCompletableFuture()
                .thenApply(values -> {
                    Map<String, Instant> out = new HashMap<>();
                    for (KeyValue<String, String> v : values) {
                        if (v.hasValue()) {
                            try {
                                out.put(v.getKey(), Instant.ofEpochMilli(Long.parseLong(v.getValue())));
                            } catch (NumberFormatException e) {
                                // not a time: as if never seen
                            }
                        }
                    }
                    return out;
                });
    }

    @Override
    public void close() {
        connection.close();
        RedisResources.shutdown(client);
        if (ownedResources != null) {
            ownedResources.close();
        }
    }
}
