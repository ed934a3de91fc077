package dev.switchboard.edge;

import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.hub.LoopHub;
import dev.switchboard.edge.session.Session;
import dev.switchboard.wire.DisconnectCode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains a node: from the moment it starts, the node refuses new upgrades (503)
 * and the balancer, seeing the draining flag, stops placing users here; the
 * sessions already here are told to reconnect elsewhere (DRAIN, 4004) in
 * batches spread over the window, so that the rest of the fleet absorbs them
 * gradually instead of in one reconnect storm. Completes when the node is
 * empty or the deadline passed.
 */
final class Drainer {
    private static final Logger log = LoggerFactory.getLogger(Drainer.class);
    /** Batches are sent this often; each loop disconnects its share of sessions per step. */
    private static final long STEP_MS = 100;

    private final Hub hub;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    Drainer(Hub hub) {
        this.hub = hub;
    }

    boolean isDraining() {
        return draining.get();
    }

    CompletableFuture<Void> drained() {
        return drained;
    }

    /** Starts draining (idempotent); returns the number of sessions to move. */
    int start(Duration window, Duration deadline) {
        if (!draining.compareAndSet(false, true)) {
            return hub.sessionCount();
        }
        int total = hub.sessionCount();
        long steps = Math.max(1, window.toMillis() / STEP_MS);
        log.info("draining {} sessions over {} (deadline {})", total, window, deadline);
        for (LoopHub lh : hub.loops()) {
            lh.loop().execute(() -> {
                int perStep = (int) Math.max(1, (lh.sessionCount() + steps - 1) / steps);
                step(lh, perStep, window);
            });
        }
        long deadlineMs = Math.max(deadline.toMillis(), window.toMillis());
        hub.loops().get(0).loop().scheduleAtFixedRate(() -> {
            if (!drained.isDone() && hub.sessionCount() == 0) {
                drained.complete(null);
            }
        }, STEP_MS, STEP_MS, TimeUnit.MILLISECONDS);
        hub.loops().get(0).loop().schedule(() -> {
            if (drained.complete(null)) {
                log.warn("drain deadline reached with {} sessions left", hub.sessionCount());
            }
        }, deadlineMs, TimeUnit.MILLISECONDS);
        return total;
    }

    private void step(LoopHub lh, int perStep, Duration window) {
        int sent = 0;
        for (int i = lh.sessionCount() - 1; i >= 0 && sent < perStep; i--) {
            Session s = lh.sessionAt(i);
            if (s != null && !s.isClosing()) {
                // A short random delay spreads each batch's reconnects too.
                s.disconnect(DisconnectCode.DRAIN, "node draining: reconnect through the balancer",
                        ThreadLocalRandom.current().nextInt((int) Math.min(1000, Math.max(1, window.toMillis() / 10))));
                sent++;
            }
        }
        if (lh.sessionCount() > 0 && !drained.isDone()) {
            lh.loop().schedule(() -> step(lh, perStep, window), STEP_MS, TimeUnit.MILLISECONDS);
        }
    }
}
