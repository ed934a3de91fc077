package dev.switchboard.app.fault;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

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
    static long awaitCaughtUp(List<Member> members, Roster roster, Map<String, Integer> target, long timeoutNanos) {
        try {
            // Polled in this thread, often: the instant it returns is a measurement.
            await("every member caught up").atMost(Duration.ofNanos(timeoutNanos)).pollInSameThread()
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> caughtUp(members, roster, target));
            return System.nanoTime();
        } catch (ConditionTimeoutException e) {
            return -1;
        }
    }

    private static boolean caughtUp(List<Member> members, Roster roster, Map<String, Integer> target) {
        for (int i = 0; i < members.size(); i++) {
            String channel = roster.channelOfUser(i);
            if (members.get(i).delivered(channel).size() < target.get(channel)) {
                return false;
            }
        }
        return true;
    }

    static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
