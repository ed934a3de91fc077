package dev.switchboard.edge.session;

import dev.switchboard.wire.PushHeader;
import dev.switchboard.wire.WebSocketFrames;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live frames a session holds back for channels it is recovering: the
 * subscription is live first, live frames are buffered here while the missed
 * publications are read from history, then history is written and the buffered
 * frames follow, minus those history already had (merge by sequence: no gap,
 * no duplicate). A message is committed, and so readable in history, before it
 * is published: its live copy can arrive after the replay that already wrote
 * it. So each ended recovery leaves a floor, the newest sequence it wrote, and
 * live publications at or below it are dropped until a newer one arrives.
 *
 * <p>What is held counts against the session's outbound budget: a frame that
 * would not fit under the soft mark makes the recovery give the channel up
 * (its held frames are released, live frames go out as they come, the replay is
 * not written and the client is told the channel was not recovered, so it reads
 * the gap from history). Exists only while a recovery runs or a floor stands;
 * confined to the loop.
 */
final class Recovery {
    /** The buffer of a channel whose recovery was given up (never written to). */
    private static final List<ByteBuf> ABANDONED = new ArrayList<>(0);

    private final Map<String, List<ByteBuf>> buffers = new HashMap<>();
    /** Per channel whose recovery ended: the newest sequence the replay wrote. */
    private final Map<String, Long> floors = new HashMap<>();
    private int bufferedBytes;

    void begin(String channel) {
        buffers.putIfAbsent(channel, new ArrayList<>());
    }

    /** Whether live frames of {@code channel} are being held back (false once the recovery gave it up). */
    boolean isRecovering(String channel) {
        List<ByteBuf> buffer = buffers.get(channel);
        return buffer != null && buffer != ABANDONED;
    }

    boolean isEmpty() {
        return buffers.isEmpty() && floors.isEmpty();
    }

    /** The bytes of the live frames held back (part of the session's outbound bytes). */
    int bufferedBytes() {
        return bufferedBytes;
    }

    /**
     * Looks at frames the hub fans out to the session (reading their channel once):
     * null when they are none of the recovery's business and go out as usual; an
     * empty list when they are held back (a view of their own) for a channel being
     * recovered; otherwise, for a channel whose recovery ended, the WebSocket frames
     * to write (retained slices) without the publications the replay already wrote.
     * Frames that do not fit in {@code room} (what is left under the session's soft
     * mark) make the recovery give their channel up: they go out as usual.
     */
    List<ByteBuf> intercept(ByteBuf frames, long room) {
        PushHeader first = PushHeader.read(frames, frames.readerIndex());
        String channel = first == null || first.channel().isEmpty() ? null : first.channel();
        if (channel == null) {
            return null;
        }
        List<ByteBuf> buffer = buffers.get(channel);
        if (buffer == ABANDONED) {
            return null;
        }
        if (buffer != null) {
            if (frames.readableBytes() > room) {
                abandon(channel, buffer);
                return null;
            }
            buffer.add(frames.retainedDuplicate());
            bufferedBytes += frames.readableBytes();
            return List.of();
        }
        Long floor = floors.get(channel);
        if (floor == null) {
            return null;
        }
        List<ByteBuf> out = new ArrayList<>();
        if (keepNewer(frames, floor, out)) {
            floors.remove(channel); // sequences only grow: what follows is newer too
        }
        return out;
    }

    /**
     * Ends the recovery of {@code channel}: returns the buffered frames, one WebSocket
     * frame each, without the publications whose sequence is at most {@code replayedUpTo}.
     */
    List<ByteBuf> end(String channel, long replayedUpTo) {
        List<ByteBuf> buffered = buffers.remove(channel);
        List<ByteBuf> out = new ArrayList<>();
        if (buffered == ABANDONED) {
            return out;
        }
        boolean newerSeen = false;
        if (buffered != null) {
            for (ByteBuf frames : buffered) {
                try {
                    bufferedBytes -= frames.readableBytes();
                    newerSeen |= keepNewer(frames, newerSeen ? Long.MIN_VALUE : replayedUpTo, out);
                } finally {
                    frames.release();
                }
            }
        }
        if (!newerSeen && replayedUpTo > 0) {
            floors.put(channel, replayedUpTo);
        }
        return out;
    }

    /** The channel is no longer subscribed: nothing of it is held or filtered any more; returns {@link #isEmpty}. */
    boolean forget(String channel) {
        List<ByteBuf> buffered = buffers.remove(channel);
        if (buffered != null) {
            release(buffered);
        }
        floors.remove(channel);
        return isEmpty();
    }

    /** Gives the recovery of {@code channel} up: what it held is released, and {@link #end} will write nothing. */
    private void abandon(String channel, List<ByteBuf> buffered) {
        release(buffered);
        buffers.put(channel, ABANDONED);
    }

    private void release(List<ByteBuf> buffered) {
        for (ByteBuf frames : buffered) {
            bufferedBytes -= frames.readableBytes();
            frames.release();
        }
        buffered.clear();
    }

    /**
     * Adds to {@code out} a retained slice of each WebSocket frame of {@code frames} but the
     * publications at or below {@code floor}; returns whether a newer publication was among them.
     */
    private static boolean keepNewer(ByteBuf frames, long floor, List<ByteBuf> out) {
        boolean newer = false;
        int i = frames.readerIndex();
        while (i < frames.writerIndex()) {
            int size = WebSocketFrames.frameSize(frames, i);
            if (size < 0) {
                break;
            }
            if (!newer) {
                PushHeader h = PushHeader.read(frames, i);
                long seq = h != null && h.body() == PushHeader.PUBLICATION ? h.seq() : 0;
                if (seq != 0 && seq <= floor) {
                    i += size;
                    continue;
                }
                newer = seq != 0;
            }
            out.add(frames.retainedSlice(i, size));
            i += size;
        }
        return newer;
    }

    void releaseAll() {
        for (List<ByteBuf> list : buffers.values()) {
            list.forEach(ByteBuf::release);
        }
        buffers.clear();
        floors.clear();
        bufferedBytes = 0;
    }
}
