package dev.switchboard.bridge.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A Lua script, encoded to bytes once: {@code EVAL} with a {@code String} made Lettuce encode the whole
 * script for every call (~400 bytes per presence lease opened or closed).
 *
 * <p>Sent whole with every call, not as {@code EVALSHA} by digest: where Redis has lost its scripts (a restart,
 * a failover, {@code SCRIPT FLUSH}) an {@code EVALSHA} fails with {@code NOSCRIPT}, and the {@code EVAL} sent
 * again after that answer goes behind the calls made meanwhile. The calls of one caller on one connection
 * then no longer run in the order they were made (a lease's close before its open would leave the lease in
 * Redis until it expired). Redis hashes a script's text per {@code EVAL} (~1 µs for these).
 */
public final class RedisScript {
    private final byte[] body;

    private RedisScript(String text) {
        this.body = text.getBytes(StandardCharsets.UTF_8);
    }

    public static RedisScript of(String text) {
        return new RedisScript(text);
    }

    /** Runs the script on {@code keys} and {@code args}; its result as {@code type} says. */
    public <K, V, T> CompletableFuture<T> run(RedisScriptingAsyncCommands<K, V> redis, ScriptOutputType type, K[] keys,
                                              V[] args) {
        return redis.<T>eval(body, type, keys, args).toCompletableFuture();
    }
}
