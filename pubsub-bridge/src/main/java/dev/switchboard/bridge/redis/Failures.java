package dev.switchboard.bridge.redis;

import dev.switchboard.bridge.BrokerUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Turns Lettuce's failures into the {@code Broker} seam's vocabulary. */
final class Failures {
    private Failures() {
    }

    /**
     * A connection, timeout or rejection failure means "the backend is unreachable right now"
     * ({@link BrokerUnavailableException}); an error reply from Redis stays what it is.
     */
    static Throwable translate(String broker, Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof BrokerUnavailableException || e instanceof RedisCommandExecutionException) {
            return e;
        }
        if (e instanceof RedisException || e instanceof CancellationException) {
            return new BrokerUnavailableException(broker + ": " + e.getMessage(), e);
        }
        return e;
    }

    /** The outcome of a Lettuce command as a {@code CompletableFuture<Void>} with translated failures. */
    static CompletableFuture<Void> voidResult(String broker, CompletionStage<?> command) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        command.whenComplete((ignored, err) -> {
            if (err == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(translate(broker, err));
            }
        });
        return result;
    }
}
