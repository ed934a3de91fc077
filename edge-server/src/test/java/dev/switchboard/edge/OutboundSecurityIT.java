package dev.switchboard.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.edge.EdgeFixture.Recorder;
import dev.switchboard.edge.hub.LoopHub;
import dev.switchboard.testing.NoBlockingOnEventLoops;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.Connect;
import dev.switchboard.wire.proto.Ping;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.Subscribe;
import dev.switchboard.wire.proto.Typing;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a client can make the edge hold, over real sockets, as an attacker would
 * try it: clients that never read their socket and flood cheap frames or
 * requests. Every write to a session counts against one hard cap (4001 over it),
 * every frame against the command budget (4008 past it), and a slow subscriber
 * is shed, not disconnected. Memory is measured on the node (what it queues for
 * the session, pooled direct memory), never timed.
 */
@ExtendWith(NoBlockingOnEventLoops.class)
class OutboundSecurityIT {
    static final int CAP = 256 * 1024;
    /** A client that did not read its goodbye within this would be closed hard; long, so that reading it is deterministic. */
    static final Duration GRACE = Duration.ofSeconds(30);
    /** The goodbye (a Disconnect push and a close frame) goes past the cap, once. */
    static final int GOODBYE = 1024;

    @AutoClose
    final EdgeFixture fx = new EdgeFixture();

    @Test
    void aPingFloodFromAClientThatNeverReadsIsRateLimitedAndHoldsNothing() throws Exception {
        EdgeServer node = fx.start(EdgeFixture.options().nodeId("pings").closeGrace(GRACE).build());
        long directBefore = usedDirectMemory();
        try (RawWebSocket flooder = new RawWebSocket(node.port(), fx.token("eve", "acme"), 4096)) {
            flooder.flood(true, 0x9, new byte[64], 200_000);
            await().atMost(30, TimeUnit.SECONDS).until(() -> rateLimitedDisconnects(node) == 1);
            long held = heldAfterTheNextSweep(node);
            long direct = usedDirectMemory() - directBefore;
            assertTrue(held <= CAP + GOODBYE, "the node holds " + held + " bytes for a client that never reads");
            assertTrue(direct < 8 * 1024 * 1024, "pooled direct memory grew by " + direct);

            List<ServerFrame> frames = new ArrayList<>();
            assertEquals(DisconnectCode.RATE_LIMITED.code(), flooder.readUntilClose(frames), "pings cost commands: 4008");
            assertEquals(DisconnectCode.RATE_LIMITED.code(), frames.getLast().getDisconnect().getCode());
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> node.hub().sessionCount() == 0);
    }

    @Test
    void aPingFloodWithinAGenerousBudgetMeetsTheHardCapAnd4001() throws Exception {
        EdgeServer node = fx.start(EdgeFixture.options().nodeId("cap").commandRate(10_000_000, 10_000_000)
                .writeBufferWaterMarks(16 * 1024, 32 * 1024).maxOutboundBytes(CAP).closeGrace(GRACE).build());
        long directBefore = usedDirectMemory();
        try (RawWebSocket flooder = new RawWebSocket(node.port(), fx.token("eve", "acme"), 4096)) {
            flooder.flood(true, 0x9, new byte[125], 100_000);
            await().atMost(30, TimeUnit.SECONDS).until(() -> slowConsumers(node) == 1);
            long held = heldAfterTheNextSweep(node);
            long direct = usedDirectMemory() - directBefore;
            assertTrue(held <= CAP + GOODBYE, "the node holds " + held + " bytes, over its cap of " + CAP);
            assertTrue(direct < 8 * 1024 * 1024, "pooled direct memory grew by " + direct);

            List<ServerFrame> frames = new ArrayList<>();
            assertEquals(DisconnectCode.SLOW_CONSUMER.code(), flooder.readUntilClose(frames),
                    "a client that reads within the grace learns why: 4001");
            ServerFrame last = frames.getLast();
            assertEquals(DisconnectCode.SLOW_CONSUMER.code(), last.getDisconnect().getCode());
            assertTrue(last.getDisconnect().getReconnect());
        }
    }

    @Test
    void aReplyFloodWithoutReadingIsClosedAtTheHardCap() throws Exception {
        EdgeServer node = fx.start(EdgeFixture.options().nodeId("replies").commandRate(10_000_000, 10_000_000)
                .writeBufferWaterMarks(16 * 1024, 32 * 1024).maxOutboundBytes(CAP).closeGrace(GRACE).build());
        try (RawWebSocket flooder = new RawWebSocket(node.port(), fx.token("eve", "acme"), 4096)) {
            connect(flooder);
            // Many requests per message, each answered: a client that asks and never reads.
            ClientFrame[] batch = new ClientFrame[100];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = ClientFrame.newBuilder().setId(1000 + i).setPing(Ping.newBuilder().setNonce(i)).build();
            }
            for (int i = 0; i < 2_000 && slowConsumers(node) == 0; i++) {
                flooder.send(batch);
            }
            await().atMost(30, TimeUnit.SECONDS).until(() -> slowConsumers(node) == 1);
            assertTrue(heldAfterTheNextSweep(node) <= CAP + GOODBYE);
            List<ServerFrame> frames = new ArrayList<>();
            assertEquals(DisconnectCode.SLOW_CONSUMER.code(), flooder.readUntilClose(frames));
        }
    }

    @Test
    void pongsAndEmptyFragmentsCostCommandsToo() throws Exception {
        EdgeServer node = fx.start(EdgeFixture.options().nodeId("cheap").commandRate(10, 20).closeGrace(GRACE).build());
        try (RawWebSocket pongs = new RawWebSocket(node.port(), fx.token("ann", "acme"));
             RawWebSocket fragments = new RawWebSocket(node.port(), fx.token("bob", "acme"))) {
            pongs.flood(true, 0xA, new byte[0], 1_000);
            assertEquals(DisconnectCode.RATE_LIMITED.code(), pongs.readUntilClose(new ArrayList<>()));
            fragments.sendFrame(false, 0x2, new byte[0]);
            fragments.flood(false, 0x0, new byte[0], 1_000);
            assertEquals(DisconnectCode.RATE_LIMITED.code(), fragments.readUntilClose(new ArrayList<>()));
        }
    }

    @Test
    void aClosingSessionThatNeverReadsIsClosedHardAfterTheGrace() throws Exception {
        EdgeServer node = fx.start(EdgeFixture.options().nodeId("grace").commandRate(10_000_000, 10_000_000)
                .writeBufferWaterMarks(16 * 1024, 32 * 1024).maxOutboundBytes(CAP).closeGrace(Duration.ofMillis(500)).build());
        try (RawWebSocket flooder = new RawWebSocket(node.port(), fx.token("eve", "acme"), 4096)) {
            flooder.flood(true, 0x9, new byte[125], 100_000);
            await().atMost(30, TimeUnit.SECONDS).until(() -> slowConsumers(node) == 1);
            // It never reads its goodbye: the node lets go of it after the grace, whatever the client does.
            await().atMost(30, TimeUnit.SECONDS).until(() -> node.hub().sessionCount() == 0);
            assertEquals(0, heldAfterTheNextSweep(node));
        }
    }

    /**
     * A subscriber stops reading while a channel is busy: over the high-water mark its typing
     * events are dropped, over the soft mark the channel's publications stop and it is owed a
     * may_have_missed, sent as soon as its socket drains; it stays connected, and the node never
     * holds more than its soft mark for it.
     */
    @Test
    void aStalledSubscriberIsShedAndToldWhatItMissedInsteadOfBeingDisconnected() throws Exception {
        EdgeServer node = fx.start(EdgeFixture.options().nodeId("shed").writeBufferWaterMarks(16 * 1024, 32 * 1024)
                .maxOutboundBytes(CAP).slowConsumerTimeout(Duration.ofMinutes(5))
                // The raw client answers no server ping: keep it from idling out however slow the machine is.
                .heartbeatInterval(Duration.ofMinutes(4)).idleTimeout(Duration.ofMinutes(5)).build());
        String channel = "acme/firehose";
        try (RawWebSocket slow = new RawWebSocket(node.port(), fx.token("slow", "acme"), 4096)) {
            connect(slow);
            slow.send(ClientFrame.newBuilder().setId(2).setSubscribe(Subscribe.newBuilder().setChannel(channel)).build());
            slow.read(new ArrayList<>(), f -> f.getId() == 2);
            Recorder fast = fx.connect(node, "fast", "acme");
            fast.client.subscribe(channel).join();
            Recorder publisher = fx.connect(node, "pub", "acme");
            publisher.client.subscribe(channel).join();

            // More than the kernel buffers take on loopback (the server's send buffer grows to ~4 MiB) and the soft mark.
            int count = 500;
            byte[] payload = new byte[16 * 1024];
            for (int i = 0; i < count; i++) {
                ByteBuffer.wrap(payload).putInt(i);
                publisher.client.publish(channel, payload).get(10, TimeUnit.SECONDS);
                if (i % 50 == 0) {
                    publisher.client.send(ClientFrame.newBuilder().setTyping(Typing.newBuilder().setChannel(channel)).build());
                }
            }
            for (int i = 0; i < count; i++) {
                assertEquals(i, fast.next().getPayload().asReadOnlyByteBuffer().getInt(), "the others get everything");
            }
            assertTrue(node.metrics().publicationsShedCount() >= 1, "the stalled subscriber was shed");
            assertEquals(0, slowConsumers(node), "and not disconnected");
            assertTrue(heldAfterTheNextSweep(node) <= CAP / 2 + 64 * 1024, "the node holds about its soft mark at most");

            // It reads again: what it was sent, in order, then what it missed, then live traffic again.
            List<ServerFrame> frames = new ArrayList<>();
            assertEquals(0, slow.read(frames, ServerFrame::hasMayHaveMissed));
            assertEquals(channel, frames.getLast().getMayHaveMissed().getChannel());
            List<Integer> got = new ArrayList<>();
            for (ServerFrame f : frames) {
                if (f.hasPublication()) {
                    got.add(f.getPublication().getPayload().asReadOnlyByteBuffer().getInt());
                }
            }
            assertFalse(got.isEmpty());
            for (int i = 0; i < got.size(); i++) {
                assertEquals(i, got.get(i), "what was written is a gap-free prefix: nothing is dropped in the middle");
            }
            assertTrue(got.size() < count, "the rest was shed: " + got.size());
            ByteBuffer.wrap(payload).putInt(-1);
            publisher.client.publish(channel, payload).get(10, TimeUnit.SECONDS);
            List<ServerFrame> after = new ArrayList<>();
            assertEquals(0, slow.read(after, ServerFrame::hasPublication));
            Publication live = after.getLast().getPublication();
            assertEquals(-1, live.getPayload().asReadOnlyByteBuffer().getInt(), "live traffic flows again");
        }
    }

    // ------------------------------------------------------------ helpers

    private static void connect(RawWebSocket c) throws Exception {
        c.send(ClientFrame.newBuilder().setId(1).setConnect(Connect.getDefaultInstance()).build());
        assertEquals(0, c.read(new ArrayList<>(), f -> f.getId() == 1));
    }

    private static long usedDirectMemory() {
        return PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
    }

    private static double slowConsumers(EdgeServer node) {
        return node.metrics().slowConsumerCount();
    }

    /** 1 once the refusals in a row passed the burst (which disconnects), as the node's counter says. */
    private static long rateLimitedDisconnects(EdgeServer node) {
        Counter limited = node.metrics().registry().find("switchboard.edge.commands.rate.limited").counter();
        return limited != null && limited.count() > EdgeServerOptions.DEFAULT_COMMAND_BURST ? 1 : 0;
    }

    /** What the node holds for its sessions, as the sweep that follows now measures it. */
    private static long heldAfterTheNextSweep(EdgeServer node) {
        List<LoopHub> loops = node.hub().loops();
        int[] ticks = loops.stream().mapToInt(LoopHub::tick).toArray();
        await().atMost(10, TimeUnit.SECONDS).until(() -> {
            for (int i = 0; i < ticks.length; i++) {
                if (loops.get(i).tick() < ticks[i] + 2) {
                    return false;
                }
            }
            return true;
        });
        return node.hub().outboundBytes();
    }
}
