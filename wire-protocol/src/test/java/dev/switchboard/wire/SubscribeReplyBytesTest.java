package dev.switchboard.wire;

import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.SubscribeResult;
import org.junit.jupiter.api.Test;

class SubscribeReplyBytesTest {

    @Test
    void theSameBytesAsTheGeneratedMessage() {
        int[] ids = {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, -1, Integer.MIN_VALUE};
        long[] seqs = {0, 1, 127, 128, 1L << 35, 1_733_000_000_000L, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        for (int id : ids) {
            for (long seq : seqs) {
                for (boolean recovered : new boolean[] {false, true}) {
                    ServerFrame built = ServerFrame.newBuilder().setId(id)
                            .setSubscribe(SubscribeResult.newBuilder().setRecovered(recovered).setLastSeq(seq)).build();
                    ReplyFrames.assertSameBytes(built, alloc -> SubscribeReplyBytes.frame(alloc, id, recovered, seq));
                }
            }
        }
    }
}
