package dev.switchboard.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A client's calls while its server (the test's own, killed) is down and once it
 * is back: refused at once rather than queued, and answered again without
 * restarting the client.
 */
public final class Outages {
    private Outages() {
    }

    /**
     * How {@code call} failed; the test fails if it succeeded or had no answer within
     * {@code seconds} (queued while the server is down instead of refused).
     */
    public static ExecutionException refused(Supplier<? extends CompletableFuture<?>> call, long seconds, String what) {
        return assertThrows(ExecutionException.class, () -> {
            try {
                call.get().get(seconds, TimeUnit.SECONDS);
            } catch (TimeoutException hung) {
                throw new AssertionError(what + " hung while its server was down (queued, not refused)", hung);
            }
        });
    }

    /**
     * Repeats {@code call} every 100 ms while it fails (the client still reconnecting), for up to
     * {@code seconds}: its first answer, or null if none came.
     */
    public static <T> T answerAfterReconnect(Supplier<? extends CompletableFuture<T>> call, long seconds)
            throws TimeoutException {
        AtomicReference<T> answer = new AtomicReference<>();
        try {
            await("an answer after the reconnect").atMost(Duration.ofSeconds(seconds))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsInstanceOf(ExecutionException.class)
                    .until(() -> {
                        answer.set(call.get().get(seconds, TimeUnit.SECONDS));
                        return true;
                    });
            return answer.get();
        } catch (ConditionTimeoutException none) {
            return null;
        }
    }
}
