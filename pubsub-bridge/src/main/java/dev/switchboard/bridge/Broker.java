package dev.switchboard.bridge;

import java.util.concurrent.CompletableFuture;

/**
 * The narrow seam between an edge node and whatever carries publications
 * between nodes (after centrifuge's {@code Broker}). A message is opaque bytes:
 * the edge puts an encoded push frame in, and gets the same bytes out on every
 * node subscribed to the channel.
 *
 * <p>Implementations never block the caller: every operation returns at once
 * and completes its future later. A broker that cannot reach its backend fails
 * publishes fast with {@link BrokerUnavailableException} instead of queueing
 * them. Subscriptions are not reference counted here; {@link Interest} does that.
 */
public interface Broker extends AutoCloseable {

    /** Registers the one handler for received messages and connectivity events. Call once, before subscribing. */
    void setHandler(BrokerHandler handler);

    /** Hands {@code message} to the broker; completes when the broker accepted it. */
    CompletableFuture<Void> publish(String channel, byte[] message);

    /** Starts receiving {@code channel}; completes when the subscription is active. Idempotent. */
    CompletableFuture<Void> subscribe(String channel);

    /** Stops receiving {@code channel}. Idempotent. */
    CompletableFuture<Void> unsubscribe(String channel);

    /** Whether publishes can currently reach the backend. */
    boolean isAvailable();

    /** A one-line description for logs and the stats API, e.g. "memory" or "redis://127.0.0.1:6379". */
    String describe();

    @Override
    void close();
}
