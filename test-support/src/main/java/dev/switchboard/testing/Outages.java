package dev.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

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
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                return call.get().get(seconds, TimeUnit.SECONDS);
            } catch (ExecutionException stillReconnecting) {
                Thread.sleep(100);
            }
        }
        return null;
    }
}
