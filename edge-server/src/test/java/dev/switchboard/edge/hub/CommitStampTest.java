package dev.switchboard.edge.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.TypingEvent;
import org.junit.jupiter.api.Test;

class CommitStampTest {
    @Test
    void readsTheTimestampOfASequencedPublication() {
        byte[] stored = ServerFrame.newBuilder().setPublication(Publication.newBuilder().setChannel("acme/chat/7").setSeq(42)
                .setSenderId("alice").setTimestampMs(1_764_000_000_123L).setPayload(ByteString.copyFromUtf8("{\"text\":\"hi\"}"))
                .setMessageId(9)).build().toByteArray();
        assertEquals(1_764_000_000_123L, CommitStamp.of(stored));
    }

    @Test
    void ephemeralPublicationsOtherPushesAndGarbageHaveNone() {
        byte[] ephemeral = ServerFrame.newBuilder().setPublication(Publication.newBuilder().setChannel("acme/room")
                .setTimestampMs(1_764_000_000_123L)).build().toByteArray();
        byte[] typing = ServerFrame.newBuilder().setTypingEvent(TypingEvent.newBuilder().setChannel("acme/chat/7").setUserId("bob"))
                .build().toByteArray();
        assertEquals(-1, CommitStamp.of(ephemeral));
        assertEquals(-1, CommitStamp.of(typing));
        assertEquals(-1, CommitStamp.of(new byte[] {(byte) 0xA2, 0x01, 0x7F, 0x10}));
        assertEquals(-1, CommitStamp.of(new byte[0]));
    }
}
