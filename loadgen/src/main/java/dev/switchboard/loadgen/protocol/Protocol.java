package dev.switchboard.loadgen.protocol;

import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.net.LoadConnection;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.util.List;

/**
 * A protocol driver: how to reach a server, say hello, subscribe, publish,
 * and recognise a delivery. One instance serves every connection of a run,
 * so it holds no per-connection state. The connection-side methods run on
 * the connection's event loop and must not block.
 */
public interface Protocol extends AutoCloseable {
    /** Short name in reports: "switchboard", "pusher". */
    String label();

    /** The WebSocket URL of connection {@code index} (its credentials included). */
    URI uri(int index);

    /** The protocol's name of test channel {@code channelIndex}. */
    String channel(int channelIndex);

    /** The WebSocket upgrade completed: send the hello if the protocol has one. */
    void onOpen(LoadConnection c);

    /**
     * The WebSocket upgrade completed and the connection is to subscribe to {@code channel} (null: none): send
     * the hello, and the subscribe with it where the protocol lets a client send commands without waiting for
     * the hello's reply. Returns whether the subscribe went out; if not, the scenario subscribes once ready.
     */
    default boolean onOpen(LoadConnection c, String channel) {
        onOpen(c);
        return false;
    }

    /** Sends a subscribe for {@code channel}. */
    void subscribe(LoadConnection c, String channel);

    /** Handles one inbound frame: calls back {@code c.on*}. Must not release the frame. */
    void onFrame(LoadConnection c, WebSocketFrame frame);

    /** Whether publishers are WebSocket connections (else they use an HTTP API and need none). */
    boolean publishesOverWebSocket();

    /**
     * A publisher sending on the test channels ({@link #channel}) with payloads of
     * {@code payloadSize} bytes, through {@code connections} when
     * {@link #publishesOverWebSocket()} (they are ready), else through its own means.
     */
    Publisher publisher(List<LoadConnection> connections, int payloadSize, LoadStats stats);

    @Override
    default void close() {
    }
}
