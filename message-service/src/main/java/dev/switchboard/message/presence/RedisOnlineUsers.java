package dev.switchboard.message.presence;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
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
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final Clock clock;

    private RedisOnlineUsers(RedisClient client, StatefulRedisConnection<String, String> connection, Clock clock) {
        this.client = client;
        this.connection = connection;
        this.redis = connection.async();
        this.clock = clock;
    }

    /** Connects (failing fast if Redis is down); {@code timeout} bounds every lookup. */
    public static RedisOnlineUsers connect(String redisUri, Duration timeout, Clock clock) {
        RedisURI uri = RedisURI.create(redisUri);
        uri.setTimeout(timeout);
        RedisClient client = RedisClient.create(uri);
        try {
            return new RedisOnlineUsers(client, client.connect(), clock);
        } catch (RuntimeException e) {
            client.shutdown();
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

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
