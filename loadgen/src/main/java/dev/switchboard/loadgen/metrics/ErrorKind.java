package dev.switchboard.loadgen.metrics;

import java.util.Locale;

/** What went wrong, counted separately so that a report says which part of the path failed. */
public enum ErrorKind {
    /** TCP connect failed (refused, no route, out of ports or files). */
    CONNECT,
    /** The WebSocket upgrade or the protocol's own hello failed or timed out. */
    HANDSHAKE,
    /** The server answered a command with an error, or sent a frame we could not parse. */
    PROTOCOL,
    /** The server closed a connection that we did not close. */
    CLOSED,
    /** A publish could not be sent (socket not writable, HTTP publish failed). */
    SEND;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
