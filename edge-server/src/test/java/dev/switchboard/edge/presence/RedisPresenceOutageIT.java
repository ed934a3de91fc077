package dev.switchboard.edge.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bridge.redis.RedisResources;
import dev.switchboard.testing.Outages;
import dev.switchboard.testing.RedisServerProcess;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Presence leases while their Redis (the test's own) is SIGKILLed (issue #15,
 * item 8): every call fails at once instead of being queued for Lettuce's
 * default 60 s, two stores share one set of Lettuce resources that outlives
 * either, and calls succeed again once Redis is back on the same port.
 */
class RedisPresenceOutageIT {
    /** Far below Lettuce's default 60 s, far above any refusal on a loaded machine. */
    static final long DEADLINE_S = 30;

    @Test
    void callsFailFastWhileRedisIsDownAndWorkAgainAfter() throws Exception {
        try (RedisServerProcess redis = new RedisServerProcess().start();
             RedisResources shared = RedisResources.create()) {
            RedisPresenceStore store = RedisPresenceStore.connect(shared, redis.uri(), "outage:", Duration.ofSeconds(30),
                    RedisPresenceStore.DEFAULT_COMMAND_TIMEOUT);
            RedisPresenceStore other = RedisPresenceStore.connect(shared, redis.uri(), "outage:", Duration.ofSeconds(30),
                    RedisPresenceStore.DEFAULT_COMMAND_TIMEOUT);
            Lease ana = new Lease("acme", "ana", "edge-1", 1);
            assertTrue(store.opened(ana).get(DEADLINE_S, TimeUnit.SECONDS));
            other.close(); // a client on the shared resources goes; the resources stay for the rest

            redis.kill();
            for (var call : List.<java.util.function.Supplier<java.util.concurrent.CompletableFuture<?>>>of(
                    () -> store.opened(new Lease("acme", "ben", "edge-1", 2)),
                    () -> store.renew(List.of(ana)),
                    () -> store.online("acme", List.of("ana")),
                    () -> store.closed(ana))) {
                ExecutionException failed = Outages.refused(call, DEADLINE_S, "a presence call");
                assertInstanceOf(RedisException.class, failed.getCause(), failed.toString());
            }

            redis.start();
            Set<String> online = Outages.answerAfterReconnect(() -> store.online("acme", List.of("ana")), DEADLINE_S);
            assertEquals(Set.of(), online, "a fresh Redis holds no leases; the store reconnected by itself");
            assertTrue(store.opened(ana).get(DEADLINE_S, TimeUnit.SECONDS));
            store.close();
        }
    }
}
