package dev.switchboard.message.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.switchboard.bridge.redis.RedisResources;
import dev.switchboard.testing.Outages;
import dev.switchboard.testing.RedisServerProcess;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Presence reads while their Redis (the test's own) is SIGKILLed (issue #15,
 * item 8): a lookup is refused at once (nothing is queued to be sent after the
 * outage, so it is not a command timeout either), on the process's shared
 * Lettuce resources, and lookups work again once Redis is back.
 */
class RedisOnlineUsersOutageIT {
    static final long DEADLINE_S = 30;

    @Test
    void lookupsAreRefusedWhileRedisIsDownAndWorkAgainAfter() throws Exception {
        try (RedisServerProcess redis = new RedisServerProcess().start();
             RedisResources shared = RedisResources.create();
             RedisOnlineUsers online = RedisOnlineUsers.connect(shared, redis.uri(), Duration.ofSeconds(2), Clock.systemUTC())) {
            assertEquals(Set.of(), online.online("acme", List.of("ana")).get(DEADLINE_S, TimeUnit.SECONDS));

            redis.kill();
            ExecutionException failed = Outages.refused(() -> online.online("acme", List.of("ana", "ben")), DEADLINE_S,
                    "a presence lookup");
            RedisException cause = assertInstanceOf(RedisException.class, failed.getCause(), failed.toString());
            assertFalse(cause instanceof RedisCommandTimeoutException, "queued until it timed out: " + cause);

            redis.start();
            Set<String> after = Outages.answerAfterReconnect(() -> online.online("acme", List.of("ana")), DEADLINE_S);
            assertEquals(Set.of(), after, "the reader reconnected by itself");
        }
    }
}
