package dev.switchboard.app.fault;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the message-service acknowledged (the committed sequences per channel,
 * and when), against which every client's deliveries are counted.
 */
final class Ledger {
    private final Map<String, Set<Long>> committed = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> committedAt = new ConcurrentLinkedQueue<>();

    void committed(String channel, long seq) {
        committed.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet()).add(seq);
        committedAt.add(System.nanoTime());
    }

    /** Committed sequences of a channel, ascending. */
    List<Long> committed(String channel) {
        return new ArrayList<>(new TreeSet<>(committed.getOrDefault(channel, Set.of())));
    }

    int total() {
        return committed.values().stream().mapToInt(Set::size).sum();
    }

    /** The first commit acknowledged at or after {@code nanos}, or -1. */
    long committedAfter(long nanos) {
        for (long t : committedAt) {
            if (t >= nanos) {
                return t;
            }
        }
        return -1;
    }

    /** A member's deliveries on its channels counted against the commits. */
    Tally tally(Member m, List<String> channels) {
        int committedCount = 0;
        int deliveredCount = 0;
        int duplicates = 0;
        boolean exact = true;
        for (String channel : channels) {
            List<Long> want = committed(channel);
            List<Long> got = m.delivered(channel);
            committedCount += want.size();
            deliveredCount += got.size();
            duplicates += got.size() - new HashSet<>(got).size();
            exact &= want.equals(got);
        }
        return new Tally(committedCount, deliveredCount, duplicates, exact);
    }

    /**
     * Totals over members: {@code exact} means every member got exactly the
     * committed sequences of each of its channels, once each, in order.
     */
    record Tally(int committed, int delivered, int duplicates, boolean exact) {
        Tally plus(Tally o) {
            return new Tally(committed + o.committed, delivered + o.delivered, duplicates + o.duplicates, exact && o.exact);
        }

        static final Tally ZERO = new Tally(0, 0, 0, true);
    }
}
