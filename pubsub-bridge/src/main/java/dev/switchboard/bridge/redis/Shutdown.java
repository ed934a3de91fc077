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

    private Shutdown() {
    }

    /** Shuts {@code client} down, then {@code resources} when not null (resources the client owned). */
    static void quietly(AbstractRedisClient client, ClientResources resources) {
        try {
            client.shutdown(Duration.ZERO, TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("Lettuce client did not shut down cleanly", e);
        }
        if (resources != null) {
            resources(resources);
        }
    }

    static void resources(ClientResources resources) {
        try {
            resources.shutdown(0, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Lettuce resources did not shut down cleanly", e);
        }
    }
}
