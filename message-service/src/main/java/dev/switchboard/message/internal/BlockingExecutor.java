package dev.switchboard.message.internal;

import dev.switchboard.message.ChatException;
import dev.switchboard.wire.ErrorCode;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where blocking JDBC calls run, never on an event loop: a fixed pool sized to
 * the connection pool with a bounded queue. A full queue fails the call with
 * UNAVAILABLE at once, which is the backpressure a flooded database needs.
 */
public final class BlockingExecutor implements AutoCloseable {
    private final ThreadPoolExecutor pool;

    public BlockingExecutor(String name, int threads, int queueCapacity) {
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Runs {@code call} on a worker; the future completes there. */
    public <T> CompletableFuture<T> submit(Supplier<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                try {
                    f.complete(call.get());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new ChatException(ErrorCode.UNAVAILABLE,
                    pool.isShutdown() ? "shutting down" : "overloaded", e));
        }
        return f;
    }

    public int queued() {
        return pool.getQueue().size();
    }

    /** Stops taking work and waits (bounded) for what is running. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
