package dev.switchboard.client.internal;

import dev.switchboard.wire.proto.Disconnect;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;

/**
 * Callbacks of a {@link WireConnection} for what the server pushes, with the
 * protocol's protobuf types. Called on the connection's event loop: never block here. Every method has an empty default, so a
 * listener implements only what it needs.
 */
public interface WireListener {
    default void onPublication(Publication publication) {
    }

    /** The server announced why it is about to close the connection. */
    default void onDisconnect(Disconnect disconnect) {
    }

    /** Any other push (presence, receipts, typing, may-have-missed, subscribed, unsubscribed). */
    default void onPush(ServerFrame push) {
    }

    /** The connection is closed; {@code code} is the WebSocket close code (-1 if none was received). */
    default void onClosed(int code, String reason) {
    }
}
