package dev.switchboard.loadgen.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.switchboard.loadgen.metrics.ErrorKind;
import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.protocol.Protocol;
import dev.switchboard.loadgen.protocol.Publisher;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadConnectionTest {

    /** A fast server completes the upgrade before the dialer's thread binds the channel: the hello must still go out. */
    @Test
    void theHelloIsSentWhenTheUpgradeCompletesBeforeTheDialerBindsTheChannel() {
        LoadStats stats = new LoadStats();
        LoadConnection conn = new LoadConnection(7, new HelloOnOpen(), stats, ConnectionEvents.NONE);
        EmbeddedChannel ch = new EmbeddedChannel(conn); // never bound by a dialer
        ch.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        Object hello = ch.readOutbound();
        assertInstanceOf(TextWebSocketFrame.class, hello);
        ReferenceCountUtil.release(hello);
        assertEquals(0, stats.errorCount(ErrorKind.HANDSHAKE));
        ch.finishAndReleaseAll();
    }

    private static final class HelloOnOpen implements Protocol {
        @Override
        public String label() {
            return "test";
        }

        @Override
        public URI uri(int index) {
            return URI.create("ws://127.0.0.1:1/ws");
        }

        @Override
        public String channel(int channelIndex) {
            return "ch-" + channelIndex;
        }

        @Override
        public void onOpen(LoadConnection c) {
            c.send(new TextWebSocketFrame("hello"));
        }

        @Override
        public void subscribe(LoadConnection c, String channel) {
        }

        @Override
        public void onFrame(LoadConnection c, WebSocketFrame frame) {
        }

        @Override
        public boolean publishesOverWebSocket() {
            return true;
        }

        @Override
        public Publisher publisher(List<LoadConnection> connections, int payloadSize, LoadStats stats) {
            throw new UnsupportedOperationException();
        }
    }
}
