package dev.switchboard.client;

/**
 * What a {@link SwitchboardClient} tells the application. Every method has an
 * empty default. Calls come one at a time, in order, on the client's callback
 * executor (never on a network thread): a slow listener delays only this
 * client's events. An exception thrown here is logged and does not stop the client.
 */
public interface ClientListener {
    default void onStateChanged(ConnectionState state, ConnectionState previous) {
    }

    /** Connected and answered (the first time and after every reconnect). */
    default void onConnected(Session session) {
    }

    default void onDisconnected(Disconnected disconnected) {
    }

    /** Each publication once; on chat channels in sequence order, gaps filled and duplicates dropped. */
    default void onPublication(Publication publication) {
    }

    /** Presence, typing, read receipts, subscribed and unsubscribed pushes, skipped ranges. */
    default void onChannelEvent(ChannelEvent event) {
    }

    /** Something the client handled itself went wrong (a failed connect, a failed gap fill or token refresh). */
    default void onError(Throwable error) {
    }
}
