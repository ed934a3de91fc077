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
 * no duplicate). Exists only while a recovery runs; confined to the loop.
 */
final class Recovery {
    /** A recovery buffers at most this many bytes before giving up on the channel. */
    static final int MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

    private final Map<String, List<ByteBuf>> buffers = new HashMap<>();
    private int bufferedBytes;

    void begin(String channel) {
        buffers.putIfAbsent(channel, new ArrayList<>());
    }

    boolean isRecovering(String channel) {
        return buffers.containsKey(channel);
    }

    boolean isEmpty() {
        return buffers.isEmpty();
    }

    boolean overBudget() {
        return bufferedBytes > MAX_BUFFERED_BYTES;
    }

    /** Keeps {@code frames} (a view of its own) if they belong to a recovering channel. */
    boolean offer(ByteBuf frames) {
        ServerFrame first = WebSocketFrames.firstServerFrame(frames, frames.readerIndex());
        String channel = first == null ? null : channelOf(first);
        List<ByteBuf> buffer = channel == null ? null : buffers.get(channel);
        if (buffer == null) {
            return false;
        }
        buffer.add(frames.retainedDuplicate());
        bufferedBytes += frames.readableBytes();
        return true;
    }

    /**
     * Ends the recovery of {@code channel}: returns the buffered frames, one WebSocket
     * frame each, without the publications whose sequence is at most {@code replayedUpTo}.
     */
    List<ByteBuf> end(String channel, long replayedUpTo) {
        List<ByteBuf> buffered = buffers.remove(channel);
        List<ByteBuf> out = new ArrayList<>();
        if (buffered == null) {
            return out;
        }
        for (ByteBuf frames : buffered) {
            try {
                bufferedBytes -= frames.readableBytes();
                int i = frames.readerIndex();
                while (i < frames.writerIndex()) {
                    int size = WebSocketFrames.frameSize(frames, i);
                    if (size < 0) {
                        break;
                    }
                    ServerFrame f = WebSocketFrames.firstServerFrame(frames, i);
                    boolean replayed = f != null && f.hasPublication() && f.getPublication().getSeq() != 0
                            && f.getPublication().getSeq() <= replayedUpTo;
                    if (!replayed) {
                        out.add(frames.retainedSlice(i, size));
                    }
                    i += size;
                }
            } finally {
                frames.release();
            }
        }
        return out;
    }

    void releaseAll() {
        for (List<ByteBuf> list : buffers.values()) {
            list.forEach(ByteBuf::release);
        }
        buffers.clear();
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
