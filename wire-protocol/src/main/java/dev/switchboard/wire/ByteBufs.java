package dev.switchboard.wire;

import io.netty.buffer.ByteBuf;

/** Small helpers for buffers that are not one contiguous region. */
final class ByteBufs {
    private ByteBufs() {
    }

    static byte[] copyReadable(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        return bytes;
    }
}
