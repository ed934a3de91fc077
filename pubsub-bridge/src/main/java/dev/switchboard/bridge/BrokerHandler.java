package dev.switchboard.bridge;

import java.util.Set;

/**
 * Receives what a {@link Broker} delivers. Called on the broker's own threads:
 * implementations must hand work off and return quickly, never block.
 */
public interface BrokerHandler {

    /** A message published to a channel this node is subscribed to. */
    void onMessage(String channel, byte[] message);

    /**
     * The broker was cut off from its backend and is back, with these channels
     * subscribed again. Messages published while it was away may be lost: sessions of
     * these channels should be told that they may have missed some.
     */
    default void onResubscribed(Set<String> channels) {
    }

    /** The broker lost its backend; publishes fail until {@link #onResubscribed} (local fan-out goes on). */
    default void onDisconnected() {
    }
}
