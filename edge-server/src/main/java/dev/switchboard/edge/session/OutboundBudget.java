package dev.switchboard.edge.session;

import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.wire.PushHeader;
import dev.switchboard.wire.WebSocketFrames;
import dev.switchboard.wire.proto.HistoryResult;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;
import io.netty.buffer.ByteBuf;

/**
 * The outbound budget of every session of a node, and the slow-consumer policy
 * that spends it (one instance per node; the per-session state is a
 * {@link Backlog}, which exists only while a session's socket is backlogged).
 *
 * <p>A session's outbound bytes are everything the node holds for it: what is
 * queued for its socket (Netty counts each write plus 96 bytes of bookkeeping),
 * live frames held back by a recovery, and what its backlog remembers. Three
 * marks apply to them:
 * <ul>
 *   <li>over the socket's write-buffer high-water mark the session is backlogged:
 *       fan-out sheds ephemeral events first (typing dropped, presence and read
 *       receipts conflated into the newest state, written when it drains);</li>
 *   <li>over the soft mark (half the hard cap) fan-out stops writing publications
 *       of a channel and owes the client a {@code may_have_missed} for it, sent
 *       when the socket drains below its low-water mark; recoveries stop holding
 *       back live frames and replays that do not fit are not written (the
 *       client is told it was not recovered), and history pages are cut to fit;</li>
 *   <li>over the hard cap any write (a reply, a pong, a replay) closes the session
 *       as a slow consumer (4001), as does staying backlogged for the
 *       slow-consumer timeout. Only the goodbye (a Disconnect push and a close
 *       frame, a few hundred bytes, once) goes past it.</li>
 * </ul>
 * Fan-out stays frame-once: what a backlogged session takes of a batch is written
 * as slices of the shared buffer, never re-encoded.
 */
public final class OutboundBudget {
    /** Frames owed on resume go out in messages of at most this many frames (clients cap frames per message). */
    private static final int OWED_FRAMES_PER_MESSAGE = 50;
    /** What Netty counts per queued write on top of its bytes ({@code ChannelOutboundBuffer}'s entry overhead). */
    static final int ENTRY_OVERHEAD = 96;
    static final String SHED_REASON = "slow consumer: publications were shed while the connection was backlogged";

    private final int softBytes;
    private final int hardBytes;
    private final EdgeMetrics metrics;

    /**
     * @param hardBytes     the hard cap ({@code --max-outbound-bytes})
     * @param highWaterMark the socket's write-buffer high-water mark; the soft mark is never below it
     */
    public OutboundBudget(int hardBytes, int highWaterMark, EdgeMetrics metrics) {
        this.hardBytes = hardBytes;
        this.softBytes = Math.max(Math.min(highWaterMark, hardBytes), hardBytes / 2);
        this.metrics = metrics;
    }

    public int softBytes() {
        return softBytes;
    }

    public int hardBytes() {
        return hardBytes;
    }

    /** Whether a write of {@code bytes} fits under the hard cap of a session that holds {@code held} now. */
    boolean fitsHardCap(long held, int bytes) {
        return held + bytes + ENTRY_OVERHEAD <= hardBytes;
    }

    /** What is left under the soft mark for a session that holds {@code held} (negative when over it). */
    long softRoom(long held) {
        return softBytes - held;
    }

    /** The bytes a history page may take for a session that holds {@code held}: a quarter of the cap at most. */
    long historyRoom(long held) {
        return Math.min(hardBytes / 4, softRoom(held));
    }

    /**
     * Writes what a backlogged session takes of a fan-out batch (one or more WebSocket frames of
     * one channel, shared with the other subscribers; not consumed): runs of accepted frames go
     * out as retained slices; the rest is dropped, conflated or shed into {@code backlog}.
     */
    void offerBacklogged(SessionWriter s, Backlog backlog, ByteBuf frames) {
        long held = s.outboundBytes();
        int run = -1;
        int i = frames.readerIndex();
        while (i < frames.writerIndex()) {
            int size = WebSocketFrames.frameSize(frames, i);
            if (size < 0) {
                break;
            }
            if (accepts(backlog, frames, i, size, held + (run < 0 ? ENTRY_OVERHEAD : i - run))) {
                run = run < 0 ? i : run;
            } else if (run >= 0) {
                s.write(frames.retainedSlice(run, i - run));
                held = s.outboundBytes();
                run = -1;
            }
            i += size;
        }
        if (run >= 0) {
            s.write(frames.retainedSlice(run, i - run));
        }
    }

    /** Whether a backlogged session holding {@code held} takes the frame at {@code i}; if not, what it owes is remembered. */
    private boolean accepts(Backlog backlog, ByteBuf frames, int i, int size, long held) {
        PushHeader h = PushHeader.read(frames, i);
        if (h == null) {
            // Not a push this version knows how to shed: it goes out while there is room.
            return held + size <= softBytes;
        }
        if (h.body() == PushHeader.TYPING_EVENT) {
            metrics.ephemeralShed();
            return false;
        }
        if (h.isEphemeral()) {
            ServerFrame push = WebSocketFrames.firstServerFrame(frames, i);
            if (push == null) {
                return false;
            }
            backlog.conflate(push);
            metrics.ephemeralShed();
            return false;
        }
        if (backlog.isShed(h.channel())) {
            return false;
        }
        if (held + size <= softBytes) {
            return true;
        }
        long since = h.body() == PushHeader.PUBLICATION ? Math.max(0, h.seq() - 1) : h.seq();
        backlog.shed(h.channel(), since);
        metrics.publicationsShed();
        return false;
    }

    /** Writes what the backlog owes once the socket drained (may_have_missed, conflated state), in few messages. */
    void resume(SessionWriter s, Backlog backlog) {
        var owed = backlog.owed(SHED_REASON);
        for (int from = 0; from < owed.size(); from += OWED_FRAMES_PER_MESSAGE) {
            var part = owed.subList(from, Math.min(owed.size(), from + OWED_FRAMES_PER_MESSAGE));
            s.send(WebSocketFrames.binary(s.channel().alloc(), part.toArray(ServerFrame[]::new)));
        }
    }

    /**
     * A history page cut to whole publications that fit in {@code room} bytes (at least one, so
     * paging always moves on), with {@code next_cursor} at the last one kept when it was cut.
     */
    static HistoryResult fit(HistoryResult page, long room) {
        long used = 0;
        int keep = 0;
        for (Publication p : page.getPublicationsList()) {
            int size = p.getSerializedSize() + 8;
            if (keep > 0 && used + size > room) {
                break;
            }
            used += size;
            keep++;
        }
        if (keep == page.getPublicationsCount()) {
            return page;
        }
        return HistoryResult.newBuilder().addAllPublications(page.getPublicationsList().subList(0, keep))
                .setNextCursor(page.getPublications(keep - 1).getSeq()).build();
    }
}
