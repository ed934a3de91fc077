package dev.switchboard.message.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.testing.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Leases written the way an edge node writes them (PresenceKeys), read back on a real redis-server. */
class RedisOnlineUsersIT {
    static RedisServerProcess redis;
    static RedisClient client;
    static StatefulRedisConnection<String, String> connection;
    static RedisOnlineUsers online;

    @BeforeAll
    static void start() {
        redis = new RedisServerProcess().start();
        client = RedisClient.create(redis.uri());
        connection = client.connect();
        online = RedisOnlineUsers.connect(redis.uri(), Duration.ofSeconds(2), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        online.close();
        connection.close();
        client.shutdown();
        redis.close();
    }

    @Test
    void usersWithALiveLeaseAreOnline() {
        long now = System.currentTimeMillis();
        lease("acme", "ana", "edge-1/s-1", now + 30_000);
        lease("acme", "ben", "edge-1/s-2", now - 1);             // its node died: expired, key not yet gone
        lease("acme", "ben", "edge-2/s-3", now - 5_000);
        lease("acme", "cy", "edge-1/s-4", now - 1);
        lease("acme", "cy", "edge-2/s-5", now + 30_000);          // one live session of two is enough
        lease("globex", "dan", "edge-1/s-6", now + 30_000);

        assertEquals(Set.of("ana", "cy"), online.online("acme", List.of("ana", "ben", "cy", "dan", "eve")).join());
        assertEquals(Set.of("dan"), online.online("globex", List.of("dan", "ana")).join());
        assertEquals(Set.of(), online.online("acme", List.of()).join());
    }

    @Test
    void aUserGoesOfflineWhenTheKeyExpiresOrTheSessionIsRemoved() {
        long now = System.currentTimeMillis();
        lease("acme", "fay", "edge-1/s-7", now + 30_000);
        RedisCommands<String, String> r = connection.sync();
        r.pexpire(PresenceKeys.key("acme", "fay"), 1);
        lease("acme", "gus", "edge-1/s-8", now + 30_000);
        r.hdel(PresenceKeys.key("acme", "gus"), "edge-1/s-8");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> r.exists(PresenceKeys.key("acme", "fay")) == 0);
        assertEquals(Set.of(), online.online("acme", List.of("fay", "gus")).join());
    }

    @Test
    void lastSeenTimesAreReadFromTheOrganisationsHash() {
        RedisCommands<String, String> r = connection.sync();
        // As the edge that closed each user's last session wrote them.
        r.hset(PresenceKeys.lastSeenKey("acme"), "hal", "1764669600000");
        r.hset(PresenceKeys.lastSeenKey("acme"), "ida", "not a time");
        r.hset(PresenceKeys.lastSeenKey("globex"), "jo", "1764669600001");
        assertEquals(Map.of("hal", Instant.ofEpochMilli(1764669600000L)),
                online.lastSeen("acme", List.of("hal", "ida", "jo", "kim")).join());
        assertEquals(Map.of(), online.lastSeen("acme", List.of()).join());
    }

    static void lease(String org, String user, String session, long expiresAtMillis) {
        RedisCommands<String, String> r = connection.sync();
        String key = PresenceKeys.key(org, user);
        r.hset(key, session, Long.toString(expiresAtMillis));
        r.pexpire(key, Math.max(1, expiresAtMillis - System.currentTimeMillis()) + 60_000);
    }
}
