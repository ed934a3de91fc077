package dev.switchboard.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.wire.proto.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.function.Function;

/** Checks a hand-written reply encoder against the generated message it stands for. */
final class ReplyFrames {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private ReplyFrames() {
    }

    /**
     * The encoder's WebSocket message carries exactly {@code expected.toByteArray()}, length-delimited, and is
     * byte for byte what {@link WebSocketFrames#binary} builds from the message.
     */
    static void assertSameBytes(ServerFrame expected, Function<ByteBufAllocator, ByteBuf> encoder) {
        ByteBuf encoded = encoder.apply(ALLOC);
        ByteBuf built = WebSocketFrames.binary(ALLOC, expected);
        try {
            int header = WebSocketFrames.headerSize(encoded, 0);
            assertEquals(encoded.readableBytes(), WebSocketFrames.frameSize(encoded, 0));
            byte[] serialized = expected.toByteArray();
            int prefix = ProtoWire.varintSize(serialized.length);
            assertArrayEquals(serialized, ByteBufUtil.getBytes(encoded, header + prefix, encoded.readableBytes() - header - prefix));
            assertArrayEquals(ByteBufUtil.getBytes(built), ByteBufUtil.getBytes(encoded));
            // What a client reads (a string with an unpaired surrogate reads back with '?' in its place).
            assertEquals(ServerFrame.parseFrom(serialized), WebSocketFrames.firstServerFrame(encoded, 0));
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        } finally {
            encoded.release();
            built.release();
        }
    }
}
