package dev.switchboard.client.internal;

import dev.switchboard.client.Publication;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Per-channel order of sequenced publications on the client: delivers each
 * sequence once, in order; holds back what arrives after a gap until the gap is
 * filled (from history); drops duplicates by (channel, seq). Publications without
 * a sequence (ephemeral channels) pass straight through. Not thread-safe: the
 * client calls it from its serial executor. Same rules as the TypeScript SDK's.
 */
public final class Sequencer {
    /** Held-back publications per channel at most; beyond, the oldest gap is given up. */
    public static final int MAX_HELD = 10_000;

    private final Map<String, Long> last = new HashMap<>();
    private final Map<String, TreeMap<Long, Publication>> held = new HashMap<>();

    /** What an offer left behind: a gap to fill, and a range given up (null when none). */
    public record Offer(boolean gap, long[] skipped) {
    }

    /** The last sequence delivered on each channel (the positions to send on reconnect). */
    public Map<String, Long> positions() {
        return new HashMap<>(last);
    }

    /** The last delivered sequence of {@code channel}, or -1 when it is not tracked. */
    public long last(String channel) {
        return last.getOrDefault(channel, -1L);
    }

    /** Tracks {@code channel} from {@code seq} unless a later position is known. */
    public void track(String channel, long seq) {
        last.merge(channel, seq, Math::max);
    }

    /** Tracks {@code channel} from {@code seq} unless it is tracked already (a position of our own wins). */
    public void trackIfUnknown(String channel, long seq) {
        last.putIfAbsent(channel, seq);
    }

    public void forget(String channel) {
        last.remove(channel);
        held.remove(channel);
    }

    public Offer offer(Publication p, Consumer<Publication> deliver) {
        long seq = p.seq();
        if (seq == 0) {
            deliver.accept(p);
            return new Offer(false, null);
        }
        String ch = p.channel();
        Long prev = last.get(ch);
        if (prev == null || seq == prev + 1) {
            // The first publication seen on an untracked channel starts its sequence.
            last.put(ch, seq);
            deliver.accept(p);
            return new Offer(drain(ch, deliver), null);
        }
        if (seq <= prev) {
            TreeMap<Long, Publication> h = held.get(ch);
            return new Offer(h != null && !h.isEmpty(), null);
        }
        TreeMap<Long, Publication> h = held.computeIfAbsent(ch, c -> new TreeMap<>());
        h.put(seq, p);
        if (h.size() > MAX_HELD) {
            long first = h.firstKey();
            last.put(ch, first - 1);
            return new Offer(drain(ch, deliver), new long[] {prev + 1, first - 1});
        }
        return new Offer(true, null);
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
        held.remove(ch);
        return false;
    }
}
