package dev.switchboard.bridge.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.RedisCli;
import dev.switchboard.testing.RedisServerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A SUBSCRIBE that times out on the client while the connection stays up
 * (Redis, or the node, stalled longer than the command timeout) and that Redis
 * then executes: the subscription exists, so callers after the timeout must not
 * wait for a resubscribe that only a reconnect would send. Found by the
 * reconnect storm (docs/reliability.md): on a starved node, the channels whose
 * SUBSCRIBE timed out never answered a client's subscribe again.
 */
class SlowSubscribeIT {
    private RedisServerProcess redis;
    private RedisBroker broker;

    @AfterEach
    void tearDown() {
        if (broker != null) {
            broker.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aSubscribeThatTimedOutButReachedRedisCompletesForLaterCallers() throws Exception {
        redis = new RedisServerProcess().start();
        broker = RedisBroker.connect(redis.uri(), RedisBrokerOptions.builder().commandTimeout(Duration.ofMillis(300)).build(),
                new SimpleMeterRegistry());
        RecordingHandler handler = new RecordingHandler();
        broker.setHandler(handler);

        // Redis processes no command of any client for 1.5 s; the connection stays up.
        RedisCli.run(redis.port(), "CLIENT", "PAUSE", "1500", "ALL");
        CompletableFuture<Void> timedOut = broker.subscribe("acme/slow");
        assertThrows(ExecutionException.class, () -> timedOut.get(5, TimeUnit.SECONDS), "the SUBSCRIBE times out");
        CompletableFuture<Void> later = broker.subscribe("acme/slow");

        later.get(10, TimeUnit.SECONDS);
        assertTrue(broker.isAvailable(), "the connection never dropped");
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            RedisCli.run(redis.port(), "PUBLISH", RedisBrokerOptions.DEFAULT_KEY_PREFIX + "acme/slow", "hello");
            return handler.messages.contains("acme/slow=hello");
        });
        assertEquals(0, handler.disconnects.get(), "no reconnect was needed");
    }
}
