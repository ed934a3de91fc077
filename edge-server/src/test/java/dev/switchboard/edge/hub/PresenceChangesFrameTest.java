package dev.switchboard.edge.hub;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.switchboard.wire.proto.Error;
import dev.switchboard.wire.proto.PresenceChange;
import dev.switchboard.wire.proto.PresenceChanges;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;
import org.junit.jupiter.api.Test;

class PresenceChangesFrameTest {
    @Test
    void tellsAPresenceChangesPushFromEverythingElse() {
        assertTrue(PresenceChangesFrame.is(ServerFrame.newBuilder().setPresenceChanges(PresenceChanges.newBuilder()
                .setChannel("acme/chat/1").addChanges(PresenceChange.newBuilder().setUserId("ann").setOnline(true))).build().toByteArray()));
        assertTrue(PresenceChangesFrame.is(ServerFrame.newBuilder().setPresenceChanges(PresenceChanges.getDefaultInstance()).build().toByteArray()));
        assertFalse(PresenceChangesFrame.is(ServerFrame.newBuilder().setPublication(Publication.newBuilder()
                .setChannel("acme/chat/1").setSeq(7).setPayload(ByteString.copyFromUtf8("hi"))).build().toByteArray()));
        assertFalse(PresenceChangesFrame.is(ServerFrame.newBuilder().setId(3).setError(Error.getDefaultInstance()).build().toByteArray()));
        assertFalse(PresenceChangesFrame.is(new byte[0]));
        assertFalse(PresenceChangesFrame.is(new byte[] {(byte) 0xE2}));
    }
}
