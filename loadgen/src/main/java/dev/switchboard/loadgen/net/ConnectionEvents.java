package dev.switchboard.loadgen.net;

/**
 * What a scenario wants to hear about its connections, beyond the counters
 * that {@link LoadConnection} keeps itself. Called on event loops: must not
 * block. Defaults do nothing.
 */
public interface ConnectionEvents {
    ConnectionEvents NONE = new ConnectionEvents() {
    };

    /** The channel the connection subscribes to first, sent with the hello where the protocol allows; null: none. */
    default String firstChannel(LoadConnection c) {
        return null;
    }

    /** The protocol's hello completed: the connection can subscribe and publish. */
    default void onReady(LoadConnection c) {
    }

    /** The server confirmed a subscription. */
    default void onSubscribed(LoadConnection c) {
    }

    /** The connection failed before becoming ready, or closed afterwards (by us or the server). */
    default void onClosed(LoadConnection c, boolean wasReady) {
    }
}
