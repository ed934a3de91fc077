package dev.switchboard.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.function.Function;

/**
 * Coverage-guided fuzzing of the frame decoder on arbitrary message bodies, both
 * directions (clients send ClientFrames, the Java client decodes ServerFrames).
 *
 * <p>Properties: only {@link ProtocolException} escapes; a body split over two
 * buffers (the composite path) decodes as the contiguous one does; and what
 * decodes re-encodes, through {@link FrameCodec#encode} and
 * {@link WebSocketFrames#binary}, to a body that decodes to equal frames.
 * Seeds and regression inputs: {@code FrameCodecFuzzTestInputs/decodesOrRejects/}.
 */
class FrameCodecFuzzTest {
    private static final FrameCodec CODEC = new FrameCodec();

    @FuzzTest(maxDuration = "10s")
    void decodesOrRejects(byte[] body) {
        check(body, CODEC::decodeClientFrames);
        check(body, CODEC::decodeServerFrames);
    }

    private static <T extends MessageLite> void check(byte[] body, Function<ByteBuf, List<T>> decoder) {
        List<T> frames = decodeOrNull(Unpooled.wrappedBuffer(body), decoder);
        List<T> split = decodeOrNull(split(body), decoder);
        assertEquals(frames, split, "a body over two buffers decodes as a contiguous one");
        if (frames == null) {
            return;
        }
        assertFalse(frames.isEmpty(), "a non-empty body carries at least one frame");
        MessageLite[] array = frames.toArray(MessageLite[]::new);
        assertEquals(frames, decodeOrNull(FrameCodec.encode(ByteBufAllocator.DEFAULT, array), decoder), "codec round trip");
        ByteBuf ws = WebSocketFrames.binary(ByteBufAllocator.DEFAULT, array);
        int payload = skipServerHeader(ws);
        assertEquals(payload, ws.readableBytes(), "the WebSocket header gives the body's length");
        assertEquals(frames, decodeOrNull(ws, decoder), "WebSocket frame round trip");
    }

    /** Decodes and releases {@code body}; null when the decoder rejects it. */
    private static <T> List<T> decodeOrNull(ByteBuf body, Function<ByteBuf, List<T>> decoder) {
        int start = body.readerIndex();
        try {
            List<T> frames = decoder.apply(body);
            assertEquals(start, body.readerIndex(), "decoding does not consume the caller's buffer");
            return frames;
        } catch (ProtocolException rejected) {
            return null;
        } finally {
            body.release();
        }
    }

    private static ByteBuf split(byte[] body) {
        int half = body.length / 2;
        CompositeByteBuf c = Unpooled.compositeBuffer();
        c.addComponent(true, Unpooled.wrappedBuffer(body, 0, half));
        c.addComponent(true, Unpooled.wrappedBuffer(body, half, body.length - half));
        return c;
    }

    /** Reads past an unmasked binary frame's header (RFC 6455 section 5.2); returns its payload length. */
    private static int skipServerHeader(ByteBuf ws) {
        assertEquals(0x82, ws.readUnsignedByte(), "FIN and the binary opcode");
        int len = ws.readUnsignedByte();
        assertTrue(len < 0x80, "a server frame is not masked");
        if (len == 126) {
            return ws.readUnsignedShort();
        }
        return len == 127 ? Math.toIntExact(ws.readLong()) : len;
    }
}
