package dev.switchboard.edge.hub;

import dev.switchboard.edge.session.Session;
import dev.switchboard.wire.proto.ServerFrame;

/**
 * Acts on a control message that arrived on a user's personal channel (a
 * membership change or a server-API subscribe, unsubscribe or disconnect) for
 * one of that user's local sessions. Called on the session's event loop.
 */
@FunctionalInterface
public interface ControlHandler {
    void apply(Session session, ServerFrame control);

    /** Whether a frame on a personal channel is a control message rather than a push to forward. */
    static boolean isControl(ServerFrame frame) {
        return switch (frame.getBodyCase()) {
            case SUBSCRIBED, UNSUBSCRIBED, DISCONNECT -> true;
            default -> false;
        };
    }
}
