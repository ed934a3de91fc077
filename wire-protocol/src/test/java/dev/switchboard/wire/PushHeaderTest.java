package dev.switchboard.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.switchboard.wire.proto.MayHaveMissed;
import dev.switchboard.wire.proto.Pong;
import dev.switchboard.wire.proto.PresenceChange;
import dev.switchboard.wire.proto.PresenceChanges;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ReadReceipt;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.TypingEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The routing facts of a push read from its frame, as a full parse would give them. */
class PushHeaderTest {

    @Test
    void publicationsGiveTheirChannelAndSequenceWithoutTheirPayload() {
        ServerFrame f = ServerFrame.newBuilder().setPublication(Publication.newBuilder().setChannel("acme/chat/7").setSeq(42)
                .setSenderId("ann").setPayload(ByteString.copyFrom(new byte[70_000])).setMessageId(9)).build();
        PushHeader h = read(f);
        assertEquals(new PushHeader(PushHeader.PUBLICATION, "acme/chat/7", 42), h);
        assertFalse(h.isEphemeral());
        assertEquals(0, read(ServerFrame.newBuilder().setPublication(Publication.newBuilder().setChannel("acme/x")).build()).seq(),
                "an ephemeral channel's publication has no sequence");
    }

    @Test
    void everyPushBodyGivesItsChannel() {
        assertEquals(new PushHeader(PushHeader.TYPING_EVENT, "acme/a", 0),
                read(ServerFrame.newBuilder().setTypingEvent(TypingEvent.newBuilder().setChannel("acme/a").setUserId("u")).build()));
        assertEquals(new PushHeader(PushHeader.READ_RECEIPT, "acme/b", 0),
                read(ServerFrame.newBuilder().setReadReceipt(ReadReceipt.newBuilder().setChannel("acme/b").setUserId("u").setSeq(5)).build()));
        assertEquals(new PushHeader(PushHeader.PRESENCE_CHANGES, "acme/c", 0), read(ServerFrame.newBuilder()
                .setPresenceChanges(PresenceChanges.newBuilder().setChannel("acme/c")
                        .addChanges(PresenceChange.newBuilder().setUserId("u").setChannel("acme/c"))).build()));
        assertEquals(new PushHeader(PushHeader.PRESENCE_CHANGE, "acme/d", 0), read(ServerFrame.newBuilder()
                .setPresenceChange(PresenceChange.newBuilder().setUserId("u").setOnline(true).setChannel("acme/d")).build()));
        assertEquals(new PushHeader(PushHeader.MAY_HAVE_MISSED, "acme/e", 7), read(ServerFrame.newBuilder()
                .setMayHaveMissed(MayHaveMissed.newBuilder().setChannel("acme/e").setSinceSeq(7).setReason("r")).build()));
        assertTrue(read(ServerFrame.newBuilder().setTypingEvent(TypingEvent.getDefaultInstance()).build()).isEphemeral());
    }

    @Test
    void repliesControlFramesAndGarbageAreNotPushes() {
        assertNull(read(ServerFrame.newBuilder().setId(3).setPong(Pong.newBuilder().setNonce(1)).build()));
        assertNull(at(alloc -> WebSocketFrames.close(alloc, 4001, "bye")));
        assertNull(at(alloc -> alloc.buffer().writeBytes(new byte[] {(byte) 0x82, 3, 0x7F, 0x7F, 0x7F})));
        assertNull(at(alloc -> alloc.buffer().writeBytes(new byte[] {(byte) 0x82, 10, 1})), "incomplete frame");
    }

    private static PushHeader read(ServerFrame f) {
        return at(alloc -> WebSocketFrames.binary(alloc, f));
    }

    private static PushHeader at(Function<UnpooledByteBufAllocator, ByteBuf> frame) {
        ByteBuf buf = frame.apply(UnpooledByteBufAllocator.DEFAULT);
        try {
            return PushHeader.read(buf, buf.readerIndex());
        } finally {
            buf.release();
        }
    }
}
