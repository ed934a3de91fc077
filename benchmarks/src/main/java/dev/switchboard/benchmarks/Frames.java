package dev.switchboard.benchmarks;

import com.google.protobuf.ByteString;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.Publish;
import dev.switchboard.wire.proto.ServerFrame;

/** The frames the benchmarks push through the hot paths: what a chat message looks like on the wire. */
final class Frames {
    private Frames() {
    }

    static byte[] payload(int size) {
        byte[] p = new byte[size];
        for (int i = 0; i < size; i++) {
            p[i] = (byte) ('a' + i % 26);
        }
        return p;
    }

    static ServerFrame publication(int payloadSize) {
        return ServerFrame.newBuilder().setPublication(Publication.newBuilder()
                .setChannel("acme/chat/421337").setSeq(1_234_567).setSenderId("u-8812")
                .setTimestampMs(1_733_000_000_000L).setMessageId(98_765_432_100L).setClientMsgId("c-5f1e2d")
                .setPayload(ByteString.copyFrom(payload(payloadSize)))).build();
    }

    static ClientFrame publish(int payloadSize) {
        return ClientFrame.newBuilder().setId(17).setPublish(Publish.newBuilder()
                .setChannel("acme/chat/421337").setClientMsgId("c-5f1e2d")
                .setPayload(ByteString.copyFrom(payload(payloadSize)))).build();
    }
}
