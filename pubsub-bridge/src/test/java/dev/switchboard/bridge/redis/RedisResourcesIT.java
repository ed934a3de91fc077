package dev.switchboard.bridge.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.RedisServerProcess;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The process's Lettuce resources are made by the first client only, and closed once. */
class RedisResourcesIT {
    @Test
    void aProcessWithoutRedisNeverMakesThem() {
        RedisResources resources = RedisResources.create();
        assertFalse(resources.made());
        resources.close();
        resources.close();
        assertFalse(resources.made());
        assertThrows(IllegalStateException.class, () -> resources.client("redis://127.0.0.1:1", Duration.ofSeconds(1),
                Duration.ofSeconds(1)));
    }

    @Test
    void theFirstClientMakesThemAndLaterClientsShareThem() {
        try (var redis = new RedisServerProcess().start()) {
            RedisResources resources = RedisResources.create();
            RedisClient first = resources.client(redis.uri(), Duration.ofSeconds(2), Duration.ofSeconds(2));
            assertTrue(resources.made());
            RedisClient second = resources.client(redis.uri(), Duration.ofSeconds(2), Duration.ofSeconds(2));
            assertTrue(first.getResources() == second.getResources(), "one set of resources per process");
            assertFalse(first.getResources().commandLatencyRecorder().isEnabled(),
                    "Lettuce's per-command latency histograms are off: nothing reads them");
            try (var a = first.connect(); var b = second.connect()) {
                assertEquals("PONG", a.sync().ping());
                assertEquals("PONG", b.sync().ping());
                String info = a.sync().clientInfo();
                assertTrue(List.of(info.trim().split("\\s+")).contains("resp=2"),
                        "RESP2: pub/sub messages decoded once, " + info);
            }
            RedisResources.shutdown(first);
            RedisResources.shutdown(second);
            resources.close();
            assertTrue(first.getResources().eventExecutorGroup().isShutdown(), "closing shuts Lettuce's threads down");
            assertThrows(IllegalStateException.class, () -> resources.client(redis.uri(), Duration.ofSeconds(1),
                    Duration.ofSeconds(1)));
        }
    }
}
