package dev.switchboard.bridge.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script run by its SHA-1 digest ({@code EVALSHA}), the way Redis means scripts to be run
 * often: a call sends the digest, not the script, so neither this process (which would encode the
 * script to bytes for every call) nor Redis (which would hash the script's text for every
 * {@code EVAL}) repeats work per call. Where Redis does not have the script (a restart, a failover to
 * a replica, {@code SCRIPT FLUSH}) it answers {@code NOSCRIPT}, and that call is sent once more as
 * {@code EVAL} with the script, which also puts it in Redis's script cache for the calls after it.
 * Scripts are atomic either way, and a call that failed with {@code NOSCRIPT} ran nothing.
 */
public final class RedisScript {
    private final byte[] body;
    private final String digest;

    private RedisScript(String text) {
        this.body = text.getBytes(StandardCharsets.UTF_8);
        this.digest = sha1Hex(body);
    }

    public static RedisScript of(String text) {
        return new RedisScript(text);
    }

    /** The script's SHA-1 in lowercase hex: what {@code SCRIPT LOAD} answers for it. */
    public String digest() {
        return digest;
    }

    /** Runs the script on {@code keys} and {@code args}; its result as {@code type} says. */
    public <K, V, T> CompletableFuture<T> run(RedisScriptingAsyncCommands<K, V> redis, ScriptOutputType type, K[] keys,
                                              V[] args) {
        // The fallback is sent from a pool thread, never from Lettuce's I/O thread that completes the EVALSHA.
        return redis.<T>evalsha(digest, type, keys, args).toCompletableFuture().exceptionallyComposeAsync(failure ->
                unwrap(failure) instanceof RedisNoScriptException
                        ? redis.<T>eval(body, type, keys, args).toCompletableFuture()
                        : CompletableFuture.failedFuture(unwrap(failure)));
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static String sha1Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required algorithm of every Java platform", e);
        }
    }
}
