package dev.switchboard.edge.fuzz;

import dev.switchboard.wire.FrameCodec;
import dev.switchboard.wire.ProtocolException;
import dev.switchboard.wire.proto.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * What a session wrote to its client, parsed back from the raw bytes (server
 * frames are unmasked, RFC 6455 section 5.2): the server frames of its binary
 * messages, and its close code if it sent a close frame.
 */
final class ServerOutput {
    private static final FrameCodec CODEC = new FrameCodec(Integer.MAX_VALUE);

    final List<ServerFrame> frames = new ArrayList<>();
    int closeCode = -1;
    int closeFrames;

    /** Parses {@code bytes}, which must be whole frames; fails on anything a client could not read. */
    static ServerOutput parse(ByteBuf bytes) {
        ServerOutput out = new ServerOutput();
        while (bytes.isReadable()) {
            int b0 = bytes.readUnsignedByte();
            int b1 = bytes.readUnsignedByte();
            if ((b0 & 0x80) == 0 || (b1 & 0x80) != 0) {
                throw new AssertionError("server frames are final and unmasked: " + Integer.toHexString(b0 << 8 | b1));
            }
            int len7 = b1 & 0x7F;
            long len = len7 < 126 ? len7 : len7 == 126 ? bytes.readUnsignedShort() : bytes.readLong();
            ByteBuf payload = bytes.readSlice(Math.toIntExact(len));
            out.add(b0 & 0x0F, payload);
        }
        return out;
    }

    private void add(int opcode, ByteBuf payload) {
        switch (opcode) {
            case 0x2 -> {
                try {
                    frames.addAll(CODEC.decodeServerFrames(payload));
                } catch (ProtocolException e) {
                    throw new AssertionError("the server sent a message its clients cannot decode", e);
                }
            }
            case 0x8 -> {
                closeFrames++;
                closeCode = payload.readableBytes() >= 2 ? payload.getUnsignedShort(payload.readerIndex()) : 1005;
            }
            case 0x9, 0xA -> {
                if (payload.readableBytes() > 125) {
                    throw new AssertionError("control frame over 125 bytes");
                }
            }
            default -> throw new AssertionError("unexpected server opcode " + opcode);
        }
    }

    static ByteBuf concat(List<ByteBuf> written) {
        return Unpooled.wrappedBuffer(written.toArray(ByteBuf[]::new));
    }
}
