package dev.switchboard.edge.session;

import dev.switchboard.wire.WebSocketFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;

/** The WebSocket closing handshake as the edge performs it (RFC 6455 §5.5.1, §7). Stateless. */
final class WebSocketClose {
    private static final int NORMAL_CLOSURE = 1000;

    private WebSocketClose() {
    }

    /**
     * The status code to echo for a client's close frame: its own, or a normal closure when
     * it gave none; -1 when the frame is invalid (a lone byte, or a code an endpoint may not
     * send: echoing 0, 1005 or 65535 would break §7.4, found by SessionInboundFuzzTest).
     */
    static int echoCode(ByteBuf payload) {
        int code = payload.readableBytes() >= 2 ? payload.getUnsignedShort(payload.readerIndex()) : NORMAL_CLOSURE;
        return payload.readableBytes() == 1 || !WebSocketFrames.isSendableCloseCode(code) ? -1 : code;
    }

    /**
     * Flushes what is written (the close frame last), then half-closes (FIN) and lets the
     * client close: closing with its frames still unread would send a RST, and a RST can
     * destroy the close frame before the client reads it. The caller discards inbound data
     * meanwhile; the sweep closes what lingers.
     */
    static void flushThenHalfClose(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (f.isSuccess() && ctx.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                ctx.close();
            }
        });
    }
}
