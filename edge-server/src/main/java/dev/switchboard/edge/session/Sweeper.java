package dev.switchboard.edge.session;

import dev.switchboard.edge.hub.LoopHub;
import dev.switchboard.wire.DisconnectCode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One timer per event loop instead of one per connection (docs/performance.md #6):
 * every tick it walks the loop's sessions and enforces the connect timeout, the
 * idle timeout, the slow-consumer timeout, token expiry and the close grace (a
 * closing session whose goodbye has not left by then is closed hard), and sends each
 * connected session a server ping once per heartbeat interval (staggered by
 * session id so that pings do not all leave in the same tick).
 *
 * <p>The walk goes in slices of {@link #SLICE} sessions with the loop's I/O between
 * them: one walk of 19,000 sessions held the loop 2.2-2.8 ms, four times a second, and
 * every delivery that arrived meanwhile waited. A session costs the walk ~55 ns when it
 * wrote nothing since the last walk ({@code sweepOutboundBytes()} then needs no
 * look into its channel), ~110-150 ns otherwise, so a slice holds the loop ~30-75 µs.
 * Each slice after the first costs the loop one more pass (an {@code io_uring_enter}).
 */
public final class Sweeper implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);
    /** Sessions per slice of a walk. */
    public static final int SLICE = 512;

    private final LoopHub hub;
    private final Runnable nextSlice = this::slice;
    /** The index the walk goes on from, downwards; -1 when no walk is under way. */
    private int next = -1;
    private int tick;
    private long now;
    private long outbound;
    private int unwritable;
    private final int connectTicks;
    private final int idleTicks;
    private final int heartbeatTicks;
    private final int slowTicks;
    /** Ticks a closing session may take to flush its goodbye before it is closed hard. */
    private final int closeGraceTicks;

    public Sweeper(LoopHub hub, Duration tick, Duration connectTimeout, Duration idleTimeout,
                   Duration heartbeatInterval, Duration slowConsumerTimeout, Duration closeGrace) {
        this.hub = hub;
        this.connectTicks = ticks(connectTimeout, tick);
        this.idleTicks = ticks(idleTimeout, tick);
        this.heartbeatTicks = ticks(heartbeatInterval, tick);
        this.slowTicks = ticks(slowConsumerTimeout, tick);
        this.closeGraceTicks = ticks(closeGrace, tick);
        hub.ticksPerSecond((int) Math.max(1, 1000 / tick.toMillis()));
    }

    /** The tick: short enough to resolve the smallest timeout, never busier than 4 per second. */
    public static Duration tickFor(Duration... timeouts) {
        long min = Long.MAX_VALUE;
        for (Duration d : timeouts) {
            min = Math.min(min, d.toMillis());
        }
        return Duration.ofMillis(Math.max(10, Math.min(250, min / 4)));
    }

    private static int ticks(Duration d, Duration tick) {
        return (int) Math.max(1, (d.toMillis() + tick.toMillis() - 1) / tick.toMillis());
    }

    /** The tick: starts a walk, unless the last one is still under way (then this tick is not counted). */
    @Override
    public void run() {
        if (next >= 0) {
            return;
        }
        tick = hub.advanceTick();
        now = System.currentTimeMillis();
        outbound = 0;
        unwritable = 0;
        next = hub.sessionCount() - 1;
        slice();
    }

    /**
     * One slice of the walk, backwards: a session that goes away swaps the (already visited) last one into its
     * place, so between slices sessions may be visited twice (every step is idempotent within a tick) but none
     * that was there when the walk began is missed; sessions opened meanwhile wait for the next tick. The next
     * slice is scheduled, not executed: the loop fetches scheduled tasks once per pass over its task queue, so
     * its I/O runs first.
     */
    private void slice() {
        int end = Math.max(-1, next - SLICE);
        for (int i = Math.min(next, hub.sessionCount() - 1); i > end; i--) {
            Session s = hub.sessionAt(i);
            if (s != null) {
                long pending = s.sweepOutboundBytes();
                outbound += pending;
                if (pending > 0 && !s.channel().isWritable()) {
                    unwritable++;
                }
                try {
                    sweep(s, tick, now);
                } catch (RuntimeException e) {
                    // A failing session must not stop the sweep of the others (a periodic task that throws is cancelled).
                    log.warn("sweep failed for {}", s, e);
                    s.forceClose();
                }
            }
        }
        next = end;
        if (next >= 0) {
            hub.loop().schedule(nextSlice, 0, TimeUnit.NANOSECONDS);
        } else {
            hub.outboundStats(outbound, unwritable);
        }
    }

    private void sweep(Session s, int tick, long now) {
        if (s.isClosing()) {
            if (tick - s.stateTick > closeGraceTicks) {
                s.forceClose();
            }
        } else if (!s.isConnected() && tick - s.stateTick > connectTicks) {
            s.disconnect(DisconnectCode.CONNECT_TIMEOUT, null);
        } else if (tick - s.lastSeenTick > idleTicks) {
            s.disconnect(DisconnectCode.HEARTBEAT_TIMEOUT, null);
        } else if (s.backlogSinceTick() >= 0 && tick - s.backlogSinceTick() > slowTicks) {
            s.slowConsumer("over the write-buffer high-water mark for the slow-consumer timeout: read what is sent");
        } else if (s.tokenExpiresAtMs() > 0 && now > s.tokenExpiresAtMs()) {
            s.disconnect(DisconnectCode.TOKEN_EXPIRED, null);
        } else if (s.isConnected() && (s.id() + tick) % heartbeatTicks == 0) {
            s.ping();
        }
    }
}
