package dev.switchboard.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.MessageLite;
import dev.switchboard.wire.proto.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
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

    /**
     * A binary message of one frame of {@code serializedSize} bytes that the caller writes next, straight after
     * the WebSocket header and the frame's length this writes; exactly as big as that (see {@link #checkFull}).
     */
    static ByteBuf binaryOf(ByteBufAllocator alloc, int serializedSize) {
        int body = FrameCodec.delimitedSize(serializedSize);
        int total = headerSize(body) + body;
        ByteBuf out = alloc.directBuffer(total, total);
        writeHeader(out, OP_BINARY, body);
        ProtoWire.writeVarint(out, serializedSize);
        return out;
    }

    /** {@code out} from {@link #binaryOf}, checked to be written to its end. */
    static ByteBuf checkFull(ByteBuf out) {
        if (out.isWritable()) {
            throw new IllegalStateException("frame sized " + out.capacity() + " bytes, " + out.writableBytes() + " left unwritten");
        }
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

    /**
     * Total size (header and payload) of the unmasked server frame that starts at
     * {@code index}, or -1 if the buffer does not hold all of it.
     */
    public static int frameSize(ByteBuf buf, int index) {
        if (buf.writerIndex() - index < 2) {
            return -1;
        }
        int len = buf.getUnsignedByte(index + 1) & 0x7F;
        int header = 2;
        if (len == 126) {
            header = 4;
            len = buf.writerIndex() - index >= 4 ? buf.getUnsignedShort(index + 2) : -1;
        } else if (len == 127) {
            header = 10;
            len = buf.writerIndex() - index >= 10 ? (int) buf.getLong(index + 2) : -1;
        }
        if (len < 0 || buf.writerIndex() - index < header + len) {
            return -1;
        }
        return header + len;
    }

    /**
     * The first protobuf frame of the binary server frame at {@code index} (what
     * {@link #binary} built), or null if it is not one.
     */
    public static ServerFrame firstServerFrame(ByteBuf buf, int index) {
        int size = frameSize(buf, index);
        if (size < 0 || (buf.getUnsignedByte(index) & 0x0F) != OP_BINARY) {
            return null;
        }
        int header = headerSize(buf, index);
        try {
            CodedInputStream in = CodedInputStream.newInstance(buf.nioBuffer(index + header, size - header));
            int frameLength = in.readRawVarint32();
            int old = in.pushLimit(frameLength);
            ServerFrame frame = ServerFrame.parseFrom(in);
            in.popLimit(old);
            return frame;
        } catch (IOException e) {
            return null;
        }
    }

    /** Size of the header of the server frame at {@code index} (its first two bytes must be there). */
    public static int headerSize(ByteBuf buf, int index) {
        int len = buf.getUnsignedByte(index + 1) & 0x7F;
        return len == 126 ? 4 : len == 127 ? 10 : 2;
    }

    /** Whether the server frame at {@code index} is a close frame. */
    public static boolean isClose(ByteBuf buf, int index) {
        return (buf.getUnsignedByte(index) & 0x0F) == OP_CLOSE;
    }

    /** The close codes RFC 6455 §7.4 lets an endpoint send (Netty's own check also takes everything above 4999). */
    public static boolean isSendableCloseCode(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
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
