package dev.switchboard.wire;

import dev.switchboard.wire.proto.ConnectResult;
import dev.switchboard.wire.proto.RecoveryResult;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.StreamPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConnectReplyBytesTest {
    private static final String[] STRINGS = {"", "n1", "acme", "u-\u00e9\u4e2d\uD83D\uDE00", "\u07ff\u0800\uffff",
        "lone \uD800 high", "lone \uDC00 low", "ends high \uD83D", "\uD83D\uD83D\uDE00", "x".repeat(200)};
    private static final long[] LONGS = {0, 1, 127, 128, 16_384, 1L << 35, 1_733_000_000_000L, Long.MAX_VALUE, -1};
    private static final int[] INTS = {0, 1, 127, 128, 30_000, Integer.MAX_VALUE, -1};

    private static ServerFrame built(int id, ConnectReplyBytes r) {
        return ServerFrame.newBuilder().setId(id).setConnect(ConnectResult.newBuilder()
                .setSessionId(r.sessionId()).setNodeId(r.nodeId()).setUserId(r.userId()).setOrgId(r.orgId())
                .setHeartbeatIntervalMs(r.heartbeatIntervalMs()).setIdleTimeoutMs(r.idleTimeoutMs())
                .setTokenExpiresAtMs(r.tokenExpiresAtMs()).addAllChannels(r.channels()).addAllRecovered(r.recovered())
                .addAllChannelPositions(r.channelPositions())).build();
    }

    private static void check(int id, ConnectReplyBytes r) {
        ReplyFrames.assertSameBytes(built(id, r), alloc -> r.frame(alloc, id));
    }

    @Test
    void everyFieldAtItsDefaultAndNot() {
        for (String s : STRINGS) {
            for (int i = 0; i < INTS.length; i++) {
                long l = LONGS[i];
                int n = INTS[i];
                check(n, new ConnectReplyBytes(s, s, s, s, n, n, l, List.of(), List.of(), List.of()));
                check(n, new ConnectReplyBytes("", "", s, "", 0, n, 0, List.of(s), List.of(), List.of()));
                check(n, new ConnectReplyBytes(s, "", "", "", 0, 0, l, List.of(s, ""),
                        List.of(RecoveryResult.newBuilder().setChannel(s).setLastSeq(l).build(), RecoveryResult.getDefaultInstance(),
                                RecoveryResult.newBuilder().setRecovered(true).build()),
                        List.of(StreamPosition.newBuilder().setChannel(s).setSeq(l).build(), StreamPosition.getDefaultInstance())));
            }
        }
    }

    @Test
    void randomReplies() {
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 2_000; i++) {
            check(random.nextInt(), new ConnectReplyBytes(string(random), string(random), string(random), string(random),
                    random.nextInt(), random.nextInt(), random.nextLong() >>> random.nextInt(64),
                    channels(random, random.nextInt(20)), recovered(random), positions(random)));
        }
    }

    /** Lists long enough for two- and three-byte lengths and both longer WebSocket headers. */
    @Test
    void largeReplies() {
        SplittableRandom random = new SplittableRandom(15);
        for (int n : new int[] {3, 100, 2_000, 5_000}) {
            check(7, new ConnectReplyBytes("node-1-42", "node-1", "u-1", "acme", 25_000, 60_000, 1_733_000_000_000L,
                    channels(random, n), recovered(random), positions(random)));
        }
    }

    private static String string(SplittableRandom random) {
        if (random.nextInt(4) == 0) {
            return STRINGS[random.nextInt(STRINGS.length)];
        }
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(random.nextBoolean() ? 12 : 300);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            s.append(kind < 6 ? (char) random.nextInt(0x20, 0x7f) : kind < 8 ? (char) random.nextInt(0x80, 0x800)
                    : kind < 9 ? (char) random.nextInt(0x800, 0xd800) : (char) random.nextInt(0xd800, 0x10000));
        }
        return s.toString();
    }

    private static List<String> channels(SplittableRandom random, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(random.nextInt(8) == 0 ? string(random) : "acme/room-" + random.nextInt(1_000_000));
        }
        return out;
    }

    private static List<RecoveryResult> recovered(SplittableRandom random) {
        List<RecoveryResult> out = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            out.add(RecoveryResult.newBuilder().setChannel(string(random)).setRecovered(random.nextBoolean())
                    .setLastSeq(random.nextLong() >>> random.nextInt(64)).build());
        }
        return out;
    }

    private static List<StreamPosition> positions(SplittableRandom random) {
        List<StreamPosition> out = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            out.add(StreamPosition.newBuilder().setChannel(string(random)).setSeq(random.nextLong() >>> random.nextInt(64)).build());
        }
        return out;
    }
}
