package dev.switchboard.client;

/**
 * The connection ended before the command's reply: its outcome is unknown. (A
 * publish to a chat channel is not failed with this: the client sends it again
 * with the same client_msg_id after reconnecting.)
 */
public final class ConnectionClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConnectionClosedException(String message) {
        super(message, null, false, false);
    }
}
