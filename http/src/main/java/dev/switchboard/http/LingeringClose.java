package dev.switchboard.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * The end of a connection whose answer went out before the request's body was
 * read: closing at once, with the body still arriving, would make the kernel
 * reset the connection and the client could lose the answer. So the write side
 * is shut (the client sees the end of the answer), and what still arrives is
 * discarded, never parsed or kept, for at most {@link #LINGER_BYTES} or
 * {@link #LINGER_MILLIS}; then the connection closes.
 */
final class LingeringClose {
    /** What a refused request may still send, discarded, before its connection is closed. */
    static final long LINGER_BYTES = 256 * 1024;
    static final long LINGER_MILLIS = 2_000;

    private boolean lingering;
    private long discarded;

    /** Shuts the write side and reads on, or closes at once where the channel cannot half-close. */
    void start(ChannelHandlerContext ctx) {
        if (!(ctx.channel() instanceof DuplexChannel duplex) || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        lingering = true;
        duplex.shutdownOutput();
        ctx.executor().schedule(() -> {
            ctx.close();
        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        ctx.read();
    }

    boolean isLingering() {
        return lingering;
    }

    /** Counts and releases what arrived meanwhile. */
    void discard(Object msg) {
        if (lingering && msg instanceof HttpContent c) {
            discarded += c.content().readableBytes();
        }
        ReferenceCountUtil.release(msg);
    }

    /** After a read: closes past {@link #LINGER_BYTES}, else reads on. */
    void readComplete(ChannelHandlerContext ctx) {
        if (discarded > LINGER_BYTES) {
            ctx.close();
        } else if (ctx.channel().isActive()) {
            ctx.read();
        }
    }
}
