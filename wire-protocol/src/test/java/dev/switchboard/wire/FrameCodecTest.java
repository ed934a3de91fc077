package dev.switchboard.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.Ping;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.Publish;
import dev.switchboard.wire.proto.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    final FrameCodec codec = new FrameCodec(4);
    final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    @Test
    void roundTripsSeveralFramesInOneMessage() {
        ClientFrame a = ClientFrame.newBuilder().setId(1).setPing(Ping.newBuilder().setNonce(7)).build();
        ClientFrame b = ClientFrame.newBuilder().setId(2).setPublish(Publish.newBuilder()
                .setChannel("acme/room").setPayload(ByteString.copyFrom(new byte[300]))).build();
        ByteBuf body = FrameCodec.encode(alloc, a, b);
        try {
            assertEquals(List.of(a, b), codec.decodeClientFrames(body));
        } finally {
            body.release();
        }
    }

    @Test
    void malformedBytesBecomeProtocolException() {
        ByteBuf truncated = Unpooled.wrappedBuffer(new byte[] {10, 1, 2});
        ByteBuf garbage = Unpooled.wrappedBuffer(new byte[] {2, (byte) 0xFF, (byte) 0xFF});
        ByteBuf empty = Unpooled.EMPTY_BUFFER;
        assertThrows(ProtocolException.class, () -> codec.decodeClientFrames(truncated));
        assertThrows(ProtocolException.class, () -> codec.decodeClientFrames(garbage));
        assertThrows(ProtocolException.class, () -> codec.decodeClientFrames(empty));
        truncated.release();
        garbage.release();
    }

    @Test
    void capsFramesPerMessage() {
        ClientFrame p = ClientFrame.newBuilder().setId(1).setPing(Ping.getDefaultInstance()).build();
        ByteBuf body = FrameCodec.encode(alloc, p, p, p, p, p);
        try {
            assertThrows(ProtocolException.class, () -> codec.decodeClientFrames(body));
        } finally {
            body.release();
        }
    }

    @Test
    void serverFrameBuiltOnceDecodesForEveryReader() {
        ServerFrame push = ServerFrame.newBuilder().setPublication(Publication.newBuilder()
                .setChannel("acme/room").setSeq(5).setPayload(ByteString.copyFromUtf8("hi"))).build();
        ByteBuf frame = WebSocketFrames.binary(alloc, push.toByteArray());
        try {
            assertEquals(0x82, frame.getUnsignedByte(0));
            int len = frame.getUnsignedByte(1);
            assertEquals(frame.readableBytes() - 2, len);
            ByteBuf body = frame.slice(2, len);
            assertEquals(List.of(push), codec.decodeServerFrames(body));
            ByteBuf again = WebSocketFrames.binary(alloc, push);
            assertEquals(frame, again);
            again.release();
        } finally {
            frame.release();
        }
    }

    @Test
    void largeFramesUseExtendedLength() {
        ServerFrame push = ServerFrame.newBuilder().setPublication(Publication.newBuilder()
                .setPayload(ByteString.copyFrom(new byte[70_000]))).build();
        ByteBuf frame = WebSocketFrames.binary(alloc, push);
        try {
            assertEquals(127, frame.getUnsignedByte(1));
            assertEquals(frame.readableBytes() - 10, frame.getLong(2));
        } finally {
            frame.release();
        }
    }

    @Test
    void channelNamesScopeByOrganisation() {
        assertTrue(ChannelNames.isValid("acme/general"));
        assertFalse(ChannelNames.isValid("general"));
        assertFalse(ChannelNames.isValid("acme/"));
        assertFalse(ChannelNames.isValid("acme/a b"));
        assertTrue(ChannelNames.belongsTo("acme/general", "acme"));
        assertFalse(ChannelNames.belongsTo("acme2/general", "acme"));
        assertFalse(ChannelNames.belongsTo("acme/general", "acm"));
        assertEquals("acme/#u1", ChannelNames.personal("acme", "u1"));
        assertTrue(ChannelNames.isPersonal("acme/#u1"));
        assertEquals("u1", ChannelNames.personalUser("acme/#u1"));
        assertEquals(42, ChannelNames.chatId(ChannelNames.chat("acme", 42)));
        assertEquals(-1, ChannelNames.chatId("acme/chat/x"));
        assertEquals(-1, ChannelNames.chatId("acme/general"));
    }
}
