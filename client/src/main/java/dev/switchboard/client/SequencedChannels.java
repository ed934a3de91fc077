package dev.switchboard.client;

import dev.switchboard.wire.proto.Publication;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Per-channel ordering of sequenced publications on the client: delivers each
 * sequence once, in order; holds back publications that arrive after a gap
 * until the gap is filled (from history); drops duplicates. Publications
 * without a sequence (ephemeral channels) pass straight through.
 */
final class SequencedChannels {
    /** Held-back publications per channel at most; beyond, the oldest gap is reported as lost. */
    static final int MAX_HELD = 10_000;

    private final Map<String, Long> last = new HashMap<>();
    private final Map<String, TreeMap<Long, Publication>> held = new HashMap<>();

    /** The last sequence delivered on each channel (the positions to send on reconnect). */
    synchronized Map<String, Long> positions() {
        return new HashMap<>(last);
    }

    synchronized long last(String channel) {
        return last.getOrDefault(channel, -1L);
    }

    /** Starts tracking a channel at {@code seq} (e.g. the last sequence known when it was joined). */
    synchronized void track(String channel, long seq) {
        last.merge(channel, seq, Math::max);
    }

    /** Starts tracking a channel at {@code seq} unless it is tracked already (a position of our own wins). */
    synchronized void trackIfUnknown(String channel, long seq) {
        last.putIfAbsent(channel, seq);
    }

    /**
     * Offers a publication; returns true when a gap is open on its channel (the
     * caller should fetch the missing range after {@link #last}).
     */
    synchronized boolean offer(Publication p, Consumer<Publication> deliver) {
        long seq = p.getSeq();
        if (seq == 0) {
            deliver.accept(p);
            return false;
        }
        String ch = p.getChannel();
        Long prev = last.get(ch);
        if (prev == null) {
            // First publication seen on this channel: it starts the sequence.
            last.put(ch, seq);
            deliver.accept(p);
            return drain(ch, deliver);
        }
        if (seq <= prev) {
            return hasGap(ch);
        }
        if (seq == prev + 1) {
            last.put(ch, seq);
            deliver.accept(p);
            return drain(ch, deliver);
        }
        TreeMap<Long, Publication> h = held.computeIfAbsent(ch, c -> new TreeMap<>());
        h.put(seq, p);
        if (h.size() > MAX_HELD) {
            // Give up on the oldest gap: jump to the first held sequence.
            last.put(ch, h.firstKey() - 1);
            return drain(ch, deliver);
        }
        return true;
    }

    private boolean drain(String ch, Consumer<Publication> deliver) {
        TreeMap<Long, Publication> h = held.get(ch);
        while (h != null && !h.isEmpty()) {
            long next = last.get(ch) + 1;
            Map.Entry<Long, Publication> first = h.firstEntry();
            if (first.getKey() < next) {
                h.pollFirstEntry();
            } else if (first.getKey() == next) {
                h.pollFirstEntry();
                last.put(ch, next);
                deliver.accept(first.getValue());
            } else {
                return true;
            }
        }
        return false;
    }

    private boolean hasGap(String ch) {
        TreeMap<Long, Publication> h = held.get(ch);
        return h != null && !h.isEmpty();
    }
}
