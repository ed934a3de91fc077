package dev.switchboard.message.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * Whether the database answers now, for {@code /healthz}: takes a pooled
 * connection and asks the server to validate it, on a virtual thread (it may
 * wait up to the pool's connection timeout while the database is unreachable),
 * never on an event loop or the chat workers. Callers that ask while a probe
 * is under way share it, so a flood of health checks makes one probe at a time.
 */
public final class DatabaseProbe {
    private final DataSource pool;
    private final Duration timeout;
    private final AtomicReference<CompletableFuture<String>> inFlight = new AtomicReference<>();

    /** {@code timeout}: how long a probe may take before the database counts as unreachable. */
    public DatabaseProbe(DataSource pool, Duration timeout) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Completes with null when the database answered, or with why it counts as unreachable. */
    public CompletableFuture<String> check() {
        while (true) {
            CompletableFuture<String> running = inFlight.get();
            if (running != null && !running.isDone()) {
                return running;
            }
            CompletableFuture<String> probe = new CompletableFuture<>();
            if (inFlight.compareAndSet(running, probe)) {
                Thread.ofVirtual().name("switchboard-db-probe").start(() -> probe.complete(probe()));
                return probe.completeOnTimeout("the database did not answer within " + timeout.toMillis() + " ms",
                        timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private String probe() {
        try (Connection c = pool.getConnection()) {
            int seconds = (int) Math.max(1, timeout.toSeconds());
            return c.isValid(seconds) ? null : "the database did not validate a connection";
        } catch (SQLException | RuntimeException e) {
            return "the database is unreachable";
        }
    }
}
