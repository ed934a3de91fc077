package dev.switchboard.edge.presence;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One renewal of a node's leases, in rounds of at most {@code roundSize}: a round is sent when the store
 * answered the one before it, so what a renewal keeps in flight (commands, replies, futures) is one
 * round's whatever the node holds. Sent at once, 10k connections' leases were 30,000 Redis commands alive
 * together, young pauses of 33-73 ms and a heap G1 grew to 109-309 MB (docs/benchmarks.md, "With --redis").
 *
 * <p>Every round runs on the presence service's thread, after {@code beforeRound} (the store calls the loops
 * queued), and leaves out what is no longer {@code live}: a session's loop marks it closed before it queues its
 * lease's close, so a round never writes a lease after that lease's close was written, which would bring it
 * back until it expired.
 *
 * @param <T> what a lease is renewed for (a session)
 */
final class LeaseRenewal<T> {
    private static final Logger log = LoggerFactory.getLogger(LeaseRenewal.class);

    private final PresenceStore store;
    private final Executor serviceThread;
    private final Runnable beforeRound;
    private final Predicate<T> live;
    private final Function<T, Lease> leaseOf;
    private final int roundSize;

    LeaseRenewal(PresenceStore store, Executor serviceThread, Runnable beforeRound, Predicate<T> live,
                 Function<T, Lease> leaseOf, int roundSize) {
        this.store = store;
        this.serviceThread = serviceThread;
        this.beforeRound = beforeRound;
        this.live = live;
        this.leaseOf = leaseOf;
        this.roundSize = roundSize;
    }

    /** Renews the leases of {@code holders}, round by round, on the service's thread. */
    void renew(List<T> holders) {
        onServiceThread(() -> round(holders, 0, false));
    }

    private void round(List<T> holders, int from, boolean failedBefore) {
        beforeRound.run();
        int to = Math.min(holders.size(), from + roundSize);
        List<Lease> leases = new ArrayList<>(to - from);
        for (T h : holders.subList(from, to)) {
            if (live.test(h)) {
                leases.add(leaseOf.apply(h));
            }
        }
        CompletableFuture<Void> sent;
        try {
            sent = leases.isEmpty() ? CompletableFuture.completedFuture(null) : store.renew(leases);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((v, err) -> {
            if (err != null && !failedBefore) {
                log.warn("presence leases not renewed: {}", err.toString());
            }
            if (to < holders.size()) {
                onServiceThread(() -> round(holders, to, failedBefore || err != null));
            }
        });
    }

    private void onServiceThread(Runnable r) {
        try {
            serviceThread.execute(r);
        } catch (RejectedExecutionException closing) {
            // The node is shutting down; leases not renewed lapse by themselves.
        }
    }
}
