package dev.switchboard.client;

/**
 * A connection ended.
 *
 * @param code the close code (the server's disconnect code), or 1006 when the socket dropped without one
 * @param reconnect whether the client reconnects by itself (false after 4500-4999, a Disconnect saying so, or close())
 * @param delayMs when it reconnects: after this delay
 */
public record Disconnected(int code, String reason, boolean reconnect, long delayMs) {
}
