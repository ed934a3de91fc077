package dev.switchboard.edge.presence;

import dev.switchboard.testing.RedisServerProcess;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on a real redis-server of the test's own. */
class RedisPresenceStoreIT extends PresenceStoreContract {
    static RedisServerProcess redis;
    static int stores;

    @BeforeAll
    static void start() {
        redis = new RedisServerProcess().start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Override
    PresenceStore store(long ttlMillis) {
        return RedisPresenceStore.connect(redis.uri(), "it" + (stores++) + ":presence:", Duration.ofMillis(ttlMillis));
    }
}
