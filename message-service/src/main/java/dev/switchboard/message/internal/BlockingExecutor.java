package dev.switchboard.message.internal;

import dev.switchboard.message.ChatException;
import dev.switchboard.wire.ErrorCode;
import java.util.concurrent.LinkedTransferQueue;
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
 *
 * <p>Submitting never blocks the caller, which is an event loop: the queue is
 * lock-free ({@code LinkedTransferQueue}; an {@code ArrayBlockingQueue} takes a
 * lock that contended submitters park on) and the bound is a counter; the
 * workers are started up front, so {@code execute} never takes the pool's lock.
 */
public final class BlockingExecutor implements AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final AtomicInteger pending = new AtomicInteger();
    private final int capacity;

    public BlockingExecutor(String name, int threads, int queueCapacity) {
        AtomicInteger n = new AtomicInteger();
        this.capacity = queueCapacity;
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedTransferQueue<>(), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.prestartAllCoreThreads();
    }

    /** Runs {@code call} on a worker; the future completes there. */
    public <T> CompletableFuture<T> submit(Supplier<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (pending.incrementAndGet() > capacity) {
            pending.decrementAndGet();
            f.completeExceptionally(new ChatException(ErrorCode.UNAVAILABLE, "overloaded"));
            return f;
        }
        try {
            pool.execute(() -> {
                pending.decrementAndGet();
                try {
                    f.complete(call.get());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            f.completeExceptionally(new ChatException(ErrorCode.UNAVAILABLE,
                    pool.isShutdown() ? "shutting down" : "overloaded", e));
        }
        return f;
    }

    public int queued() {
        return pending.get();
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
