package dev.switchboard.edge.session;

import dev.switchboard.wire.WebSocketFrames;
import dev.switchboard.wire.proto.ServerFrame;
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
 * Exists only while a recovery runs or a floor stands; confined to the loop.
 */
final class Recovery {
    /** A recovery buffers at most this many bytes before giving up on the channel. */
    static final int MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

    private final Map<String, List<ByteBuf>> buffers = new HashMap<>();
    /** Per channel whose recovery ended: the newest sequence the replay wrote. */
    private final Map<String, Long> floors = new HashMap<>();
    private int bufferedBytes;

    void begin(String channel) {
        buffers.putIfAbsent(channel, new ArrayList<>());
    }

    boolean isRecovering(String channel) {
        return buffers.containsKey(channel);
    }

    boolean isEmpty() {
        return buffers.isEmpty() && floors.isEmpty();
    }

    boolean overBudget() {
        return bufferedBytes > MAX_BUFFERED_BYTES;
    }

    /**
     * Looks at frames the hub fans out to the session (reading their channel once):
     * null when they are none of the recovery's business and go out as usual; an
     * empty list when they are held back (a view of their own) for a channel being
     * recovered; otherwise, for a channel whose recovery ended, the WebSocket frames
     * to write (retained slices) without the publications the replay already wrote.
     */
    List<ByteBuf> intercept(ByteBuf frames) {
        ServerFrame first = WebSocketFrames.firstServerFrame(frames, frames.readerIndex());
        String channel = first == null ? null : channelOf(first);
        if (channel == null) {
            return null;
        }
        List<ByteBuf> buffer = buffers.get(channel);
        if (buffer != null) {
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
            for (ByteBuf frames : buffered) {
                bufferedBytes -= frames.readableBytes();
                frames.release();
            }
        }
        floors.remove(channel);
        return isEmpty();
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
                ServerFrame f = WebSocketFrames.firstServerFrame(frames, i);
                long seq = f != null && f.hasPublication() ? f.getPublication().getSeq() : 0;
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

    private static String channelOf(ServerFrame f) {
        return switch (f.getBodyCase()) {
            case PUBLICATION -> f.getPublication().getChannel();
            case READ_RECEIPT -> f.getReadReceipt().getChannel();
            case TYPING_EVENT -> f.getTypingEvent().getChannel();
            case PRESENCE_CHANGE -> f.getPresenceChange().getChannel();
            case MAY_HAVE_MISSED -> f.getMayHaveMissed().getChannel();
            default -> null;
        };
    }
}
