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
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scripts run by digest on a real redis-server, and sent whole once where Redis does not have them. */
class RedisScriptIT {
    static final RedisScript INCR_BY = RedisScript.of("return redis.call('INCRBY', KEYS[1], ARGV[1])");

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
    void theDigestIsWhatRedisNamesTheScriptBy() {
        String text = "return redis.call('INCRBY', KEYS[1], ARGV[1])";
        assertEquals(connection.sync().scriptLoad(text), INCR_BY.digest());
        assertEquals(connection.sync().digest(text), INCR_BY.digest());
    }

    @Test
    void aScriptRedisDoesNotHaveIsSentOnceAndThenRunByDigest() throws Exception {
        RedisCommands<String, String> sync = connection.sync();
        sync.scriptFlush();
        assertEquals(List.of(false), sync.scriptExists(INCR_BY.digest()));
        assertEquals(5L, run("script-it:a", "5"), "NOSCRIPT: sent whole, runs once");
        assertEquals(List.of(true), sync.scriptExists(INCR_BY.digest()), "now in Redis's script cache");
        long before = evalCalls(sync);
        assertEquals(7L, run("script-it:a", "2"));
        assertEquals(before, evalCalls(sync), "the second call is an EVALSHA, no EVAL");
        // Flushed again (a restart or failover): the next call falls back again, nothing is lost or run twice.
        sync.scriptFlush();
        assertEquals(10L, run("script-it:a", "3"));
        assertEquals("10", sync.get("script-it:a"));
    }

    @Test
    void anErrorOfTheScriptItselfReachesTheCaller() {
        sync().set("script-it:text", "not a number");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> run("script-it:text", "1"));
        assertInstanceOf(RedisCommandExecutionException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("not an integer"), e.getCause().getMessage());
        assertEquals("not a number", sync().get("script-it:text"));
    }

    private static RedisCommands<String, String> sync() {
        return connection.sync();
    }

    private static long run(String key, String by) throws Exception {
        return INCR_BY.<String, String, Long>run(connection.async(), ScriptOutputType.INTEGER, new String[] {key},
                new String[] {by}).get(5, TimeUnit.SECONDS);
    }

    /** How many EVAL commands this Redis has run (INFO commandstats). */
    private static long evalCalls(RedisCommands<String, String> sync) {
        for (String line : sync.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_eval:")) {
                return Long.parseLong(line.replaceAll(".*calls=(\\d+).*", "$1"));
            }
        }
        return 0;
    }
}
