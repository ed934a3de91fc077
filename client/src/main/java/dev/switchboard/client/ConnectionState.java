package dev.switchboard.client;

/** Where a {@link SwitchboardClient} is. */
public enum ConnectionState {
    /** Built, {@link SwitchboardClient#connect()} not called yet. */
    IDLE,
    CONNECTING,
    CONNECTED,
    /** Between connections: a reconnect is scheduled. */
    DISCONNECTED,
    /** For good: closed by the application, or by the server with a code that says not to reconnect. */
    CLOSED
}
