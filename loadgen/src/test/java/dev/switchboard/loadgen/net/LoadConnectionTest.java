package dev.switchboard.loadgen.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.loadgen.metrics.Counters;
import dev.switchboard.loadgen.metrics.ErrorKind;
import dev.switchboard.loadgen.metrics.ErrorReason;
import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.protocol.Protocol;
import dev.switchboard.loadgen.protocol.Publisher;
import dev.switchboard.loadgen.protocol.SwitchboardProtocol;
import dev.switchboard.wire.FrameCodec;
import dev.switchboard.wire.proto.ConnectResult;
import dev.switchboard.wire.proto.Disconnect;
import dev.switchboard.wire.proto.ServerFrame;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.time.Duration;
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

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private static BinaryWebSocketFrame frame(ServerFrame f) {
        return new BinaryWebSocketFrame(FrameCodec.encode(UnpooledByteBufAllocator.DEFAULT, f));
    }

    private static EmbeddedChannel switchboard(LoadConnection conn) {
        EmbeddedChannel ch = new EmbeddedChannel(conn);
        ch.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        ReferenceCountUtil.release(ch.readOutbound()); // the connect frame
        return ch;
    }

    @Test
    void aDisconnectBeforeTheConnectReplyIsOneHandshakeErrorWithItsCodeAndReason() {
        LoadStats stats = new LoadStats();
        try (SwitchboardProtocol protocol = new SwitchboardProtocol(URI.create("ws://127.0.0.1:1/ws"), SECRET, "o", Duration.ofHours(1))) {
            EmbeddedChannel ch = switchboard(new LoadConnection(1, protocol, stats, ConnectionEvents.NONE));
            ch.writeInbound(frame(ServerFrame.newBuilder().setDisconnect(Disconnect.newBuilder().setCode(4005)
                    .setReason("memberships unavailable, retry later")).build()));
            ch.writeInbound(new CloseWebSocketFrame(4005, "memberships unavailable"));
            Object echoed = ch.readOutbound();
            assertInstanceOf(CloseWebSocketFrame.class, echoed, "the close is answered");
            ReferenceCountUtil.release(echoed);
            assertFalse(ch.isOpen());
            Counters c = stats.counters();
            assertEquals(1, c.errorCount(), "one failure, counted once: " + c.reasons());
            assertEquals(1L, c.reasons().get(new ErrorReason(ErrorKind.HANDSHAKE, "disconnect 4005 memberships unavailable, retry later")));
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aServerCloseAfterReadyIsAClosedErrorWithTheCloseCode() {
        LoadStats stats = new LoadStats();
        try (SwitchboardProtocol protocol = new SwitchboardProtocol(URI.create("ws://127.0.0.1:1/ws"), SECRET, "o", Duration.ofHours(1))) {
            EmbeddedChannel ch = switchboard(new LoadConnection(1, protocol, stats, ConnectionEvents.NONE));
            ch.writeInbound(frame(ServerFrame.newBuilder().setId(1).setConnect(ConnectResult.newBuilder().setSessionId("s")).build()));
            ch.writeInbound(frame(ServerFrame.newBuilder().setId(2).setError(dev.switchboard.wire.proto.Error.newBuilder()
                    .setCode(111).setMessage("slow down on o/ch-1")).build()));
            assertEquals(1L, stats.counters().reasons().get(new ErrorReason(ErrorKind.PROTOCOL, "error 111 TOO_MANY_REQUESTS")));
            assertTrue(ch.isOpen(), "an error reply leaves the connection open");
            ch.writeInbound(new CloseWebSocketFrame(4008, "too many commands"));
            ReferenceCountUtil.release(ch.readOutbound());
            assertEquals(1L, stats.counters().reasons().get(new ErrorReason(ErrorKind.CLOSED, "close 4008 too many commands")));
            assertEquals(2, stats.counters().errorCount());
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void anUpgradeAnsweredWithAnHttpStatusIsAHandshakeErrorNamingIt() {
        LoadStats stats = new LoadStats();
        EmbeddedChannel ch = new EmbeddedChannel(new LoadConnection(3, new HelloOnOpen(), stats, ConnectionEvents.NONE));
        ch.pipeline().fireExceptionCaught(new WebSocketClientHandshakeException("Invalid handshake response getStatus: 429",
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.TOO_MANY_REQUESTS)));
        assertFalse(ch.isOpen());
        assertEquals(1L, stats.counters().reasons().get(new ErrorReason(ErrorKind.HANDSHAKE, "HTTP 429 Too Many Requests")));
        assertEquals(1, stats.counters().errorCount());
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionWeCloseIsNoError() {
        LoadStats stats = new LoadStats();
        LoadConnection conn = new LoadConnection(3, new HelloOnOpen(), stats, ConnectionEvents.NONE);
        EmbeddedChannel ch = new EmbeddedChannel(conn);
        conn.close();
        assertEquals(0, stats.counters().errorCount());
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
