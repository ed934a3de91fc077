package dev.switchboard.bridge.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scripts on a real redis-server: the calls of one caller run in the order they were made, whatever Redis lost. */
class RedisScriptIT {
    /** Appends ARGV[1] to the list KEYS[1] and answers its length: the list shows the order the calls ran in. */
    static final RedisScript APPEND = RedisScript.of("return redis.call('RPUSH', KEYS[1], ARGV[1])");

    static RedisServerProcess redis;
    static RedisResources resources;
    static RedisClient client;
    static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void start() {
        redis = new RedisServerProcess().start();
        resources = RedisResources.create();
        client = resources.client(redis.uri(), Duration.ofSeconds(2), Duration.ofSeconds(2));
        connection = client.connect();
    }

    @AfterAll
    static void stop() {
        connection.close();
        RedisResources.shutdown(client);
        resources.close();
        redis.close();
    }

    @Test
    void callsRunInTheOrderTheyWereMadeAlsoAfterRedisForgotItsScripts() throws Exception {
        RedisAsyncCommands<String, String> async = connection.async();
        List<CompletableFuture<Long>> calls = new ArrayList<>();
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            if (i % 50 == 0) {
                async.scriptFlush(); // as after a restart or a failover, between calls in flight
            }
            made.add("c" + i);
            calls.add(APPEND.run(async, ScriptOutputType.INTEGER, new String[] {"script-it:order"},
                    new String[] {"c" + i}));
        }
        for (int i = 0; i < calls.size(); i++) {
            assertEquals(i + 1L, calls.get(i).get(5, TimeUnit.SECONDS));
        }
        assertEquals(made, connection.sync().lrange("script-it:order", 0, -1));
    }

    @Test
    void anErrorOfTheScriptItselfReachesTheCaller() {
        connection.sync().set("script-it:text", "a string");
        ExecutionException e = assertThrows(ExecutionException.class, () -> APPEND.<String, String, Long>run(
                connection.async(), ScriptOutputType.INTEGER, new String[] {"script-it:text"}, new String[] {"x"})
                .get(5, TimeUnit.SECONDS));
        assertInstanceOf(RedisCommandExecutionException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("WRONGTYPE"), e.getCause().getMessage());
        assertEquals("a string", connection.sync().get("script-it:text"));
    }
}
