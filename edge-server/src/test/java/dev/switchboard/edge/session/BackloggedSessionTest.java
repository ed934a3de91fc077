package dev.switchboard.edge.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.switchboard.bridge.Interest;
import dev.switchboard.bridge.memory.MemoryBroker;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.pipeline.ConnectionLimits;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.FrameCodec;
import dev.switchboard.wire.proto.HistoryResult;
import dev.switchboard.wire.proto.PresenceChange;
import dev.switchboard.wire.proto.PresenceChanges;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ReadReceipt;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.TypingEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The slow-consumer policy on one real session (an {@link EmbeddedChannel} whose
 * writes are held back, counted as pending by the channel, as a peer that stops
 * reading makes them): what a backlogged session is written of fan-out, what it
 * is owed once it drains, and the cap.
 */
class BackloggedSessionTest {
    static final String CHAT = "acme/chat/1";
    static final int HARD = 16 * 1024;
    static final FrameCodec CODEC = new FrameCodec(Integer.MAX_VALUE);

    final EdgeMetrics metrics = new EdgeMetrics(new SimpleMeterRegistry());
    final StalledSocket socket = new StalledSocket();
    final EmbeddedChannel ch = new EmbeddedChannel();
    final MemoryBroker broker = new MemoryBroker();
    final List<ByteBuf> shared = new ArrayList<>();
    Session session;

    @BeforeEach
    void open() {
        ch.config().setAllocator(UnpooledByteBufAllocator.DEFAULT);
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(512, 1024));
        Hub hub = new Hub(ch.eventLoop(), broker, new Interest(broker, ch.eventLoop(), Duration.ZERO),
                UnpooledByteBufAllocator.DEFAULT, new SessionControl("n"));
        // High-water mark 1 KiB: the soft mark is half the cap, 8 KiB.
        SessionShared s = new SessionShared(new FrameCodec(), null, 4096, new OutboundBudget(HARD, 1024, metrics), metrics,
                null, new ConnectionLimits(0, 0, 0), 1000, 1000);
        session = new Session(1, "ann", "acme", 0, hub.loopHub(ch.eventLoop()), s);
        ch.pipeline().addLast(socket, session);
    }

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
        for (ByteBuf b : shared) {
            assertEquals(0, b.refCnt(), "every shared frame released");
        }
        broker.close();
    }

    @Test
    void aBackloggedSessionDropsTypingConflatesStateAndShedsPublicationsOverTheSoftMark() {
        stall(true);
        deliver(pub(1, 1500));
        assertFalse(ch.isWritable(), "over the high-water mark: backlogged");
        deliver(typing(), pub(2, 1000), presence("bob", true), receipt("bob", 3));
        deliver(presence("bob", false), presence("cid", true), receipt("bob", 5), receipt("bob", 4));
        for (long seq = 3; seq <= 12; seq++) {
            deliver(pub(seq, 1000));
        }
        assertTrue(session.outboundBytes() <= HARD / 2 + 2048, "fan-out stops near the soft mark: " + session.outboundBytes());
        stall(false);
        deliver(pub(13, 10));

        List<ServerFrame> out = written();
        List<Long> seqs = out.stream().filter(ServerFrame::hasPublication).map(f -> f.getPublication().getSeq()).toList();
        long lastWritten = seqs.get(seqs.size() - 2);
        assertEquals(13L, seqs.getLast(), "live again once drained");
        for (int i = 0; i < seqs.size() - 1; i++) {
            assertEquals(i + 1L, seqs.get(i), "written publications are a gap-free prefix");
        }
        assertTrue(lastWritten < 12, "the rest was shed");
        assertFalse(out.stream().anyMatch(ServerFrame::hasTypingEvent), "typing is dropped");

        ServerFrame missed = out.stream().filter(ServerFrame::hasMayHaveMissed).findFirst().orElseThrow();
        assertEquals(CHAT, missed.getMayHaveMissed().getChannel());
        assertEquals(lastWritten, missed.getMayHaveMissed().getSinceSeq(), "since the last one written");
        PresenceChanges presence = out.stream().filter(ServerFrame::hasPresenceChanges).findFirst().orElseThrow().getPresenceChanges();
        assertEquals(List.of("bob:false", "cid:true"), presence.getChangesList().stream()
                .map(c -> c.getUserId() + ":" + c.getOnline()).toList(), "the newest presence of each user");
        List<ServerFrame> receipts = out.stream().filter(ServerFrame::hasReadReceipt).toList();
        assertEquals(1, receipts.size());
        assertEquals(5, receipts.getFirst().getReadReceipt().getSeq(), "the newest read checkpoint");
        assertTrue(out.indexOf(missed) < out.indexOf(out.stream().filter(f -> f.getPublication().getSeq() == 13).findFirst().orElseThrow()),
                "what was missed is said before live traffic resumes");
        assertTrue(metrics.publicationsShedCount() == 1 && metrics.ephemeralShedCount() >= 3);
    }

    @Test
    void aReplyOverTheHardCapClosesTheSessionAsASlowConsumer() {
        stall(true);
        long most = 0;
        for (int i = 0; i < 40 && !session.isClosing(); i++) {
            session.send(ServerFrame.newBuilder().setId(i + 1).setHistory(HistoryResult.newBuilder()
                    .addPublications(Publication.newBuilder().setChannel(CHAT).setPayload(ByteString.copyFrom(new byte[1000])))).build());
            most = Math.max(most, session.isClosing() ? 0 : session.outboundBytes());
        }
        assertTrue(session.isClosing());
        assertTrue(most <= HARD, "never over the cap: " + most);
        stall(false);
        List<ServerFrame> out = written();
        assertEquals(DisconnectCode.SLOW_CONSUMER.code(), out.getLast().getDisconnect().getCode());
        assertEquals(1, metrics.slowConsumerCount());
    }

    @Test
    void historyPagesAreCutToWholePublicationsThatFitAndPageOn() {
        HistoryResult page = HistoryResult.newBuilder().setNextCursor(0)
                .addPublications(pubMsg(1, 100)).addPublications(pubMsg(2, 100)).addPublications(pubMsg(3, 100)).build();
        assertEquals(page, OutboundBudget.fit(page, 10_000));
        HistoryResult cut = OutboundBudget.fit(page, 250);
        assertEquals(2, cut.getPublicationsCount());
        assertEquals(2, cut.getNextCursor(), "the client pages on after the last one it got");
        assertEquals(1, OutboundBudget.fit(page, -5).getPublicationsCount(), "never empty: paging moves on");
    }

    /** The sweep's reading of what is queued: exact, without a look into a channel that wrote nothing. */
    @Test
    void theSweepSeesQueuedBytesUntilTheyLeave() {
        assertEquals(0, session.sweepOutboundBytes(), "nothing written");
        stall(true);
        deliver(pub(1, 500));
        written();
        long queued = session.outboundBytes();
        assertTrue(queued > 500, "held by the stalled socket: " + queued);
        assertEquals(queued, session.sweepOutboundBytes(), "written since the last sweep");
        assertEquals(queued, session.sweepOutboundBytes(), "nothing written since, but still queued at the last sweep");
        stall(false);
        written();
        assertEquals(0, session.sweepOutboundBytes(), "the queue left");
        deliver(pub(2, 10));
        long again = session.outboundBytes();
        assertTrue(again > 0, "written, not yet flushed");
        assertEquals(again, session.sweepOutboundBytes(), "a write after a sweep that found nothing is seen");
        written();
        assertEquals(0, session.sweepOutboundBytes());
    }

    // ------------------------------------------------------------ helpers

    private void stall(boolean on) {
        if (on) {
            socket.stalled = true;
        } else {
            socket.drain();
        }
    }

    /** Holds every write back, counted by the channel as pending (so writability follows), until drained. */
    static final class StalledSocket extends ChannelOutboundHandlerAdapter {
        PendingWriteQueue queue;
        ChannelHandlerContext ctx;
        boolean stalled;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            queue = new PendingWriteQueue(ctx);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (stalled) {
                queue.add(msg, promise);
            } else {
                ctx.write(msg, promise);
            }
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!stalled) {
                ctx.flush();
            }
        }

        /** The peer reads again: everything held goes out. */
        void drain() {
            stalled = false;
            queue.removeAndWriteAll();
            ctx.flush();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            queue.removeAndFailAll(new java.io.IOException("closed"));
        }
    }

    private void deliver(ServerFrame... frames) {
        ByteBuf batch = RecoveryTest.hubBatch(frames);
        shared.add(batch);
        session.deliver(batch);
        batch.release();
    }

    /** Flushes (the loop's after-iteration task) and parses everything written. */
    private List<ServerFrame> written() {
        ch.runPendingTasks();
        List<ServerFrame> out = new ArrayList<>();
        for (Object msg; (msg = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) msg;
            try {
                while (b.isReadable()) {
                    int b0 = b.readUnsignedByte();
                    int len7 = b.readUnsignedByte() & 0x7F;
                    int len = len7 < 126 ? len7 : len7 == 126 ? b.readUnsignedShort() : (int) b.readLong();
                    ByteBuf payload = b.readSlice(len);
                    if ((b0 & 0x0F) == 0x2) {
                        out.addAll(CODEC.decodeServerFrames(payload));
                    }
                }
            } finally {
                b.release();
            }
        }
        return out;
    }

    private static Publication pubMsg(long seq, int size) {
        return Publication.newBuilder().setChannel(CHAT).setSeq(seq).setPayload(ByteString.copyFrom(new byte[size])).build();
    }

    private static ServerFrame pub(long seq, int size) {
        return ServerFrame.newBuilder().setPublication(pubMsg(seq, size)).build();
    }

    private static ServerFrame typing() {
        return ServerFrame.newBuilder().setTypingEvent(TypingEvent.newBuilder().setChannel(CHAT).setUserId("bob")).build();
    }

    private static ServerFrame presence(String user, boolean online) {
        return ServerFrame.newBuilder().setPresenceChanges(PresenceChanges.newBuilder().setChannel(CHAT)
                .addChanges(PresenceChange.newBuilder().setUserId(user).setOnline(online).setChannel(CHAT))).build();
    }

    private static ServerFrame receipt(String user, long seq) {
        return ServerFrame.newBuilder().setReadReceipt(ReadReceipt.newBuilder().setChannel(CHAT).setUserId(user).setSeq(seq)).build();
    }
}
