package dev.switchboard.bridge;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Hands every call to the wrapped broker to one writer thread, so the callers
 * (event loops) never touch the Redis client: Lettuce's write path takes a lock
 * that contended writers park on, and spins while a reconnect holds it. The
 * hand-off is a lock-free queue; past {@code maxQueued} calls waiting, or past
 * {@code maxInFlightBytes} of messages handed over and not yet answered by the
 * broker (waiting here or sent and unanswered: a stalled Redis answers nothing
 * until its command timeout), publishes fail fast with
 * {@link BrokerUnavailableException} instead of queueing without bound. One
 * thread also keeps one caller's publishes in order.
 */
public final class WriterThreadBroker implements Broker {
    public static final int DEFAULT_MAX_QUEUED = 100_000;
    /** 64 MiB: 2,000 publishes of the largest payload a client may send (32 KiB). */
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 64L << 20;

    private final Broker inner;
    private final ThreadPoolExecutor writer;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong inFlightBytes = new AtomicLong();
    private final int maxQueued;
    private final long maxInFlightBytes;

    public WriterThreadBroker(Broker inner, String name, int maxQueued, long maxInFlightBytes) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.maxQueued = maxQueued;
        this.maxInFlightBytes = maxInFlightBytes;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedTransferQueue<>(), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        writer.prestartAllCoreThreads();
    }

    public WriterThreadBroker(Broker inner) {
        this(inner, "broker-writer", DEFAULT_MAX_QUEUED, DEFAULT_MAX_IN_FLIGHT_BYTES);
    }

    @Override
    public void setHandler(BrokerHandler handler) {
        inner.setHandler(handler);
    }

    @Override
    public CompletableFuture<Void> publish(String channel, byte[] message) {
        long size = message.length;
        long before = inFlightBytes.getAndAdd(size);
        // One message always goes when nothing is in flight, however large (its size is the callers' business).
        if (before > 0 && before + size > maxInFlightBytes) {
            inFlightBytes.addAndGet(-size);
            return CompletableFuture.failedFuture(new BrokerUnavailableException(
                    "publish queue full (" + maxInFlightBytes + " bytes waiting for the broker)"));
        }
        CompletableFuture<Void> result = hand(() -> inner.publish(channel, message), true);
        result.whenComplete((v, err) -> inFlightBytes.addAndGet(-size));
        return result;
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        return hand(() -> inner.subscribe(channel), false);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        return hand(() -> inner.unsubscribe(channel), false);
    }

    private CompletableFuture<Void> hand(Supplier<CompletableFuture<Void>> call, boolean droppable) {
        if (droppable && queued.get() >= maxQueued) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException("publish queue full (" + maxQueued + ")"));
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        queued.incrementAndGet();
        try {
            writer.execute(() -> {
                queued.decrementAndGet();
                try {
                    call.get().whenComplete((v, err) -> {
                        if (err != null) {
                            result.completeExceptionally(err);
                        } else {
                            result.complete(null);
                        }
                    });
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RuntimeException rejected) {
            queued.decrementAndGet();
            result.completeExceptionally(new BrokerUnavailableException("broker closed", rejected));
        }
        return result;
    }

    @Override
    public boolean isAvailable() {
        return inner.isAvailable();
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inner.close();
    }
}
