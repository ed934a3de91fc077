package dev.switchboard.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where connection tokens come from: asked on every connect and again before the
 * token expires (the client then sends the protocol's {@code refresh}). Called on
 * the client's callback executor, never on a network thread.
 */
@FunctionalInterface
public interface TokenProvider {
    CompletionStage<String> token();

    /** Always the same token (no refresh: the server closes the session with 4007 when it expires). */
    static TokenProvider of(String token) {
        CompletableFuture<String> t = CompletableFuture.completedFuture(token);
        return new TokenProvider() {
            @Override
            public CompletionStage<String> token() {
                return t;
            }

            @Override
            public boolean refreshes() {
                return false;
            }
        };
    }

    /** Tokens from a synchronous source (called on the client's callback executor, so it may block briefly). */
    static TokenProvider supplying(java.util.function.Supplier<String> source) {
        return () -> CompletableFuture.completedFuture(source.get());
    }

    /** Whether asking again may give a newer token (false for {@link #of}). */
    default boolean refreshes() {
        return true;
    }
}
