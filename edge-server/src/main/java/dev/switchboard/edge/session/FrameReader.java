package dev.switchboard.edge.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads client WebSocket frames (RFC 6455 §5.2) straight from the socket's
 * bytes, as the base class of the {@link Session}: one handler and one context
 * per connection instead of two, and one field of state (the bytes of an
 * incomplete frame, null while idle). Netty's {@code WebSocket13FrameDecoder}
 * and its pipeline context cost ~136 B per idle connection (docs/performance.md #1).
 *
 * <p>Client frames must be masked and use no extension; the payload is unmasked
 * in place (the read buffer is ours) and handed to {@link #onFrame} as a slice
 * that is valid during the call only. Violations go to {@link #onBadFrame},
 * after which nothing more is read.
 */
abstract class FrameReader extends ChannelInboundHandlerAdapter {
    static final int OP_CONTINUATION = 0x0;
    static final int OP_TEXT = 0x1;
    static final int OP_BINARY = 0x2;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;

    /** Bytes of a frame not yet complete; null when none (the idle case). */
    private ByteBuf partial;
    /** The fragments of a message so far (null when none), copied: the read buffers they came in are reused. */
    private ByteBuf fragments;

    /** One complete binary message (fragments reassembled); not to be kept past the call. */
    abstract void onMessage(ChannelHandlerContext ctx, ByteBuf message);

    /** One complete frame; {@code payload} is unmasked and must not be kept past the call (retain a slice to keep it). */
    abstract void onFrame(ChannelHandlerContext ctx, int opcode, boolean fin, ByteBuf payload);

    /** A frame broke the protocol or the size limit; reading stops until {@link #discarding()} says otherwise. */
    abstract void onBadFrame(ChannelHandlerContext ctx, boolean tooLarge, String why);

    /** Whether input is dropped unread (the session is closing). */
    abstract boolean discarding();

    /** Largest payload of one frame. */
    abstract int maxFrameBytes();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ReferenceCountUtil.release(msg);
            onBadFrame(ctx, false, "unexpected message");
            return;
        }
        ByteBuf buf = in;
        try {
            if (partial != null) {
                partial.writeBytes(in);
                buf = partial;
            }
            while (buf.isReadable() && !discarding()) {
                if (!readFrame(ctx, buf)) {
                    break;
                }
            }
            keepRemainder(ctx, buf);
        } finally {
            in.release();
        }
    }

    /** Keeps what is left of an incomplete frame in {@link #partial}; frees it when nothing is left. */
    private void keepRemainder(ChannelHandlerContext ctx, ByteBuf buf) {
        if (!buf.isReadable() || discarding()) {
            releasePartial();
        } else if (buf != partial) {
            partial = ctx.alloc().buffer(Math.max(buf.readableBytes(), 256));
            partial.writeBytes(buf);
        } else {
            partial.discardReadBytes();
        }
    }

    /** Reads one frame if {@code buf} holds all of it; false when more bytes are needed or the frame is refused. */
    private boolean readFrame(ChannelHandlerContext ctx, ByteBuf buf) {
        int r = buf.readerIndex();
        int readable = buf.readableBytes();
        if (readable < 2) {
            return false;
        }
        int b0 = buf.getUnsignedByte(r);
        int b1 = buf.getUnsignedByte(r + 1);
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        int len7 = b1 & 0x7F;
        if ((b0 & 0x70) != 0) {
            return refuse(ctx, false, "reserved bits set: no extension was negotiated");
        }
        if ((b1 & 0x80) == 0) {
            return refuse(ctx, false, "client frames must be masked");
        }
        boolean control = opcode >= OP_CLOSE;
        if (control ? opcode > OP_PONG || !fin || len7 > 125 : opcode > OP_BINARY) {
            return refuse(ctx, false, control && opcode <= OP_PONG ? "fragmented or oversized control frame" : "unknown opcode " + opcode);
        }
        int header = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4;
        if (readable < header) {
            return false;
        }
        long length = len7 < 126 ? len7 : len7 == 126 ? buf.getUnsignedShort(r + 2) : buf.getLong(r + 2);
        if (length < 0 || length > maxFrameBytes()) {
            return refuse(ctx, true, "frame over " + maxFrameBytes() + " bytes");
        }
        if (readable - header < length) {
            return false;
        }
        int len = (int) length;
        int start = r + header;
        unmask(buf, start, len, buf.getInt(start - 4));
        buf.readerIndex(start + len);
        onFrame(ctx, opcode, fin, buf.slice(start, len));
        return true;
    }

    private boolean refuse(ChannelHandlerContext ctx, boolean tooLarge, String why) {
        // The session is closing after this, so keepRemainder() drops what is left.
        onBadFrame(ctx, tooLarge, why);
        return false;
    }

    /** XORs the payload with the 4-byte key, 4 bytes at a time (the key's first byte masks payload byte 0). */
    private static void unmask(ByteBuf buf, int start, int len, int key) {
        int i = 0;
        for (int end = len & ~3; i < end; i += 4) {
            buf.setInt(start + i, buf.getInt(start + i) ^ key);
        }
        for (; i < len; i++) {
            buf.setByte(start + i, buf.getByte(start + i) ^ (key >>> (24 - 8 * (i & 3))));
        }
    }

    /**
     * A binary data frame or a continuation: a final frame without fragments is a
     * message as it is; fragments are collected (up to {@link #maxFrameBytes()} in all)
     * and handed over when the final one arrives.
     */
    final void onData(ChannelHandlerContext ctx, boolean continuation, boolean fin, ByteBuf payload) {
        if (continuation != (fragments != null)) {
            onBadFrame(ctx, false, continuation ? "continuation without a first fragment" : "new message inside a fragmented one");
            return;
        }
        if (fin && fragments == null) {
            onMessage(ctx, payload);
            return;
        }
        if (fragments == null) {
            fragments = ctx.alloc().buffer(payload.readableBytes());
        }
        if (fragments.readableBytes() + payload.readableBytes() > maxFrameBytes()) {
            releaseFragments();
            onBadFrame(ctx, true, "message over " + maxFrameBytes() + " bytes");
            return;
        }
        fragments.writeBytes(payload);
        if (fin) {
            try {
                onMessage(ctx, fragments);
            } finally {
                releaseFragments();
            }
        }
    }

    final boolean hasFragments() {
        return fragments != null;
    }

    final void releaseFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }

    /** Frees the bytes of an incomplete frame (on close and after a violation). */
    final void releasePartial() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }
}
