package dev.switchboard.app.fault;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Waiting for members to catch up with the ledger, and counting what they got. */
final class Deliveries {
    private Deliveries() {
    }

    /** Waits (up to 30 s) until every member has as many deliveries as its channel has commits, then counts. */
    static Ledger.Tally awaitEvery(List<Member> members, Roster roster, Ledger ledger) throws InterruptedException {
        Map<String, Integer> target = new HashMap<>();
        for (int c = 0; c < roster.channelIds.size(); c++) {
            target.put(roster.channel(c), ledger.committed(roster.channel(c)).size());
        }
        awaitCaughtUp(members, roster, target, TimeUnit.SECONDS.toNanos(30));
        Thread.sleep(300); // late duplicates would arrive now
        Ledger.Tally total = Ledger.Tally.ZERO;
        for (int i = 0; i < members.size(); i++) {
            total = total.plus(ledger.tally(members.get(i), List.of(roster.channelOfUser(i))));
        }
        return total;
    }

    /**
     * Waits until every member has at least {@code target} deliveries on its channel;
     * returns when that was seen (System.nanoTime), or -1 on timeout.
     */
    static long awaitCaughtUp(List<Member> members, Roster roster, Map<String, Integer> target, long timeoutNanos)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            String channel = roster.channelOfUser(i);
            while (m.delivered(channel).size() < target.get(channel)) {
                if (System.nanoTime() > deadline) {
                    return -1;
                }
                Thread.sleep(5);
            }
        }
        return System.nanoTime();
    }

    static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
