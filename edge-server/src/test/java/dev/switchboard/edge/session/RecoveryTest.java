package dev.switchboard.edge.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.wire.WebSocketFrames;
import dev.switchboard.wire.proto.PresenceChange;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The merge of a replay with live traffic: no gap, no duplicate, whichever comes first. */
class RecoveryTest {
    static final String CHANNEL = "acme/chat/1";
    final List<ByteBuf> made = new ArrayList<>();

    @AfterEach
    void nothingLeaks() {
        for (ByteBuf b : made) {
            assertEquals(0, b.refCnt(), "every frame released");
        }
    }

    @Test
    void bufferedLiveFramesThatTheReplayWroteAreDropped() {
        Recovery r = new Recovery();
        r.begin(CHANNEL);
        assertTrue(offer(r, batch(pub(4), pub(5))));
        assertTrue(offer(r, batch(pub(6))));
        assertEquals(List.of(6L), seqs(r.end(CHANNEL, 5)));
        assertTrue(r.isEmpty(), "a newer live publication came through: nothing left to filter");
    }

    /** The replay read a message committed but not yet published; its live copy comes after the recovery ended. */
    @Test
    void aLiveCopyArrivingAfterTheReplayIsDroppedUntilANewerPublication() {
        Recovery r = new Recovery();
        r.begin(CHANNEL);
        assertEquals(List.of(), seqs(r.end(CHANNEL, 152)));
        assertEquals(List.of(), seqs(live(r, batch(pub(151), pub(152)))));
        assertEquals(List.of(0L), seqs(live(r, batch(presence()))), "other frames of the channel pass");
        assertEquals(List.of(153L, 154L), seqs(live(r, batch(pub(152), pub(153), pub(154)))));
        assertTrue(r.isEmpty());
        ByteBuf later = batch(pub(152));
        assertNull(r.intercept(later, Long.MAX_VALUE), "after a newer publication the frames go out as they are");
        later.release();
    }

    @Test
    void unsubscribingForgetsTheChannel() {
        Recovery r = new Recovery();
        r.begin(CHANNEL);
        assertTrue(offer(r, batch(pub(1))));
        r.begin("acme/chat/2");
        r.end("acme/chat/2", 9);
        r.forget(CHANNEL);
        r.forget("acme/chat/2");
        assertTrue(r.isEmpty());
        assertEquals(0, r.bufferedBytes());
    }

    /** Live traffic outgrows the room under the session's soft mark: the channel is given up, the replay will not be written. */
    @Test
    void aRecoveryThatOutgrowsItsRoomGivesTheChannelUp() {
        Recovery r = new Recovery();
        r.begin(CHANNEL);
        ByteBuf first = batch(pub(4));
        assertEquals(List.of(), r.intercept(first, 1024));
        first.release();
        assertTrue(r.bufferedBytes() > 0);
        ByteBuf tooMuch = batch(pub(5));
        assertNull(r.intercept(tooMuch, tooMuch.readableBytes() - 1), "does not fit: it goes out as it is");
        tooMuch.release();
        assertEquals(0, r.bufferedBytes(), "what was held is released");
        assertTrue(!r.isRecovering(CHANNEL), "the replay must not be written");
        ByteBuf later = batch(pub(6));
        assertNull(r.intercept(later, 1 << 20), "live frames of the channel go out as they come");
        later.release();
        assertEquals(List.of(), r.end(CHANNEL, 3), "nothing held, no floor");
        assertTrue(r.isEmpty());
    }

    private ByteBuf batch(ServerFrame... frames) {
        ByteBuf out = hubBatch(frames);
        made.add(out);
        return out;
    }

    /** What the hub fans out: the WebSocket frames of {@code frames} in one buffer. */
    static ByteBuf hubBatch(ServerFrame... frames) {
        ByteBuf out = UnpooledByteBufAllocator.DEFAULT.directBuffer();
        for (ServerFrame f : frames) {
            ByteBuf one = WebSocketFrames.binary(UnpooledByteBufAllocator.DEFAULT, f);
            out.writeBytes(one);
            one.release();
        }
        return out;
    }

    /** The hub's shared buffer: offered (the recovery keeps a retained duplicate), then released by the hub. */
    private static boolean offer(Recovery r, ByteBuf shared) {
        List<ByteBuf> written = r.intercept(shared, Long.MAX_VALUE);
        shared.release();
        return written != null && written.isEmpty();
    }

    private static List<ByteBuf> live(Recovery r, ByteBuf shared) {
        List<ByteBuf> out = r.intercept(shared, Long.MAX_VALUE);
        shared.release();
        return out;
    }

    private static List<Long> seqs(List<ByteBuf> frames) {
        List<Long> seqs = new ArrayList<>();
        for (ByteBuf f : frames) {
            ServerFrame sf = WebSocketFrames.firstServerFrame(f, f.readerIndex());
            seqs.add(sf.hasPublication() ? sf.getPublication().getSeq() : 0L);
            f.release();
        }
        return seqs;
    }

    private static ServerFrame pub(long seq) {
        return ServerFrame.newBuilder().setPublication(Publication.newBuilder().setChannel(CHANNEL).setSeq(seq)).build();
    }

    private static ServerFrame presence() {
        return ServerFrame.newBuilder().setPresenceChange(PresenceChange.newBuilder().setChannel(CHANNEL).setUserId("ann")).build();
    }
}
