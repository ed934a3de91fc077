package dev.switchboard.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.protobuf.ByteString;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PublicationBytesTest {

    private static byte[] built(String channel, String sender, long ts, ByteString payload, String clientMsgId) {
        return ServerFrame.newBuilder().setPublication(Publication.newBuilder().setChannel(channel).setSenderId(sender)
                .setTimestampMs(ts).setPayload(payload).setClientMsgId(clientMsgId)).build().toByteArray();
    }

    @Test
    void theSameBytesAsTheBuilders() {
        ByteString p = ByteString.copyFromUtf8("hello");
        String[][] cases = {{"acme/room", "u-1", "c-1"}, {"", "", ""}, {"acme/room", "", ""}, {"a/b", "\u00e9\u4e2d\uD83D\uDE00", "x"}};
        for (String[] c : cases) {
            for (long ts : new long[] {0, 1, 127, 128, 1_733_000_000_000L, Long.MAX_VALUE, -1}) {
                for (ByteString payload : new ByteString[] {ByteString.EMPTY, p}) {
                    assertArrayEquals(built(c[0], c[1], ts, payload, c[2]), PublicationBytes.ephemeral(c[0], c[1], ts, payload, c[2]));
                }
            }
        }
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 2_000; i++) {
            // Sizes across the one-, two- and three-byte length prefixes.
            byte[] payload = new byte[random.nextInt(random.nextBoolean() ? 200 : 70_000)];
            random.nextBytes(payload);
            String channel = "acme/" + "r".repeat(random.nextInt(190));
            String sender = new String(payload, 0, Math.min(payload.length, random.nextInt(40)), StandardCharsets.ISO_8859_1);
            ByteString bytes = ByteString.copyFrom(payload);
            long ts = random.nextLong();
            assertArrayEquals(built(channel, sender, ts, bytes, "c"), PublicationBytes.ephemeral(channel, sender, ts, bytes, "c"));
        }
    }
}
