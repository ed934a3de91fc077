package dev.switchboard.wire;

import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Builds complete server-side WebSocket frames (RFC 6455, unmasked, FIN set) as
 * raw buffers. Because a server frame is not masked, every recipient of a push
 * gets the same bytes: the frame is built once and written to every subscriber
 * as a retained duplicate, bypassing any per-channel encoder.
 */
public final class WebSocketFrames {
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;

    /** An empty server ping: the same two bytes for every session, never released. */
    public static final ByteBuf PING = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(2).writeByte(0x80 | OP_PING).writeByte(0).asReadOnly());

    private WebSocketFrames() {
    }

    /** One binary message carrying {@code frames}, length-delimited. */
    public static ByteBuf binary(ByteBufAllocator alloc, MessageLite... frames) {
        int body = 0;
        for (MessageLite f : frames) {
            body += FrameCodec.delimitedSize(f.getSerializedSize());
        }
        ByteBuf out = alloc.directBuffer(headerSize(body) + body);
        try {
            writeHeader(out, OP_BINARY, body);
            FrameCodec.writeDelimited(out, frames);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** One binary message carrying one frame that is already serialized (as it came from the broker). */
    public static ByteBuf binary(ByteBufAllocator alloc, byte[] serializedFrame) {
        int body = FrameCodec.delimitedSize(serializedFrame.length);
        ByteBuf out = alloc.directBuffer(headerSize(body) + body);
        writeHeader(out, OP_BINARY, body);
        FrameCodec.writeDelimited(out, serializedFrame);
        return out;
    }

    /** A close frame with a status code and a UTF-8 reason (truncated to fit the 125-byte control limit). */
    public static ByteBuf close(ByteBufAllocator alloc, int code, String reason) {
        byte[] text = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(text.length, 123);
        ByteBuf out = alloc.buffer(4 + len);
        writeHeader(out, OP_CLOSE, 2 + len);
        out.writeShort(code);
        out.writeBytes(text, 0, len);
        return out;
    }

    /** A pong echoing {@code data} (which must be at most 125 bytes); does not release data. */
    public static ByteBuf pong(ByteBufAllocator alloc, ByteBuf data) {
        int len = Math.min(data.readableBytes(), 125);
        ByteBuf out = alloc.buffer(2 + len);
        writeHeader(out, OP_PONG, len);
        out.writeBytes(data, data.readerIndex(), len);
        return out;
    }

    static int headerSize(int payloadLength) {
        return payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    }

    private static void writeHeader(ByteBuf out, int opcode, int len) {
        out.writeByte(0x80 | opcode);
        if (len < 126) {
            out.writeByte(len);
        } else if (len <= 0xFFFF) {
            out.writeByte(126);
            out.writeShort(len);
        } else {
            out.writeByte(127);
            out.writeLong(len);
        }
    }
}
