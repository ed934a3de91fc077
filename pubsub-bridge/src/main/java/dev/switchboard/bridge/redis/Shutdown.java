package dev.switchboard.bridge.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shuts a Lettuce client, and resources it owned, down, waiting for their threads (no leaked event loops). */
final class Shutdown {
    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /**
     * A short quiet period: with none, an event loop that runs a channel's late registration (a topology
     * refresh's connection, opened as the client shut down) among its last tasks ends without closing that
     * channel, and Lettuce's command buffer, allocated at registration and released at unregistration, leaks
     * (CI: RedisClusterBrokerIT after a slot move). Within the quiet period the loop closes what registered.
     */
    private static final Duration QUIET = Duration.ofMillis(100);

    private Shutdown() {
    }

    /** Shuts {@code client} down, then {@code resources} when not null (resources the client owned). */
    static void quietly(AbstractRedisClient client, ClientResources resources) {
        try {
            client.shutdown(QUIET, TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("Lettuce client did not shut down cleanly", e);
        }
        if (resources != null) {
            resources(resources);
        }
    }

    static void resources(ClientResources resources) {
        try {
            resources.shutdown(QUIET.toMillis(), TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Lettuce resources did not shut down cleanly", e);
        }
    }
}
