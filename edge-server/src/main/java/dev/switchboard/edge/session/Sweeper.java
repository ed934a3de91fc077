package dev.switchboard.edge.session;

import dev.switchboard.edge.hub.LoopHub;
import dev.switchboard.wire.DisconnectCode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One timer per event loop instead of one per connection (docs/performance.md #6):
 * it ticks the loop's coarse clock (the tick, 250 ms by default, which the sessions'
 * timestamps and the command budget count in), and every few ticks walks the loop's
 * sessions and enforces the connect timeout, the idle timeout, the slow-consumer
 * timeout, token expiry and the close grace (a closing session whose goodbye has not
 * left by then is closed hard), and sends each connected session a server ping once
 * per heartbeat interval (staggered by session id so that pings do not all leave in
 * the same walk).
 *
 * <p>A walk comes once per {@link #walkEvery} ticks: every half of the shortest
 * timeout, and not more often than once a second (once a second by default, where the
 * close grace of 2 s is the shortest). Timeouts are then enforced within a second of
 * their due time (uSockets': within its 4 s). A walk at every tick cost a node of 19,000
 * idle sessions ~0.2 s of CPU a minute more (docs/benchmarks.md, "What an idle
 * connection costs").
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
    /** Ticks from one walk to the next. */
    private final int walkEvery;
    /** Walks started (the pings' stagger counts in walks). */
    private int walks;
    private final int connectTicks;
    private final int idleTicks;
    /** Walks from one ping of a session to its next. */
    private final int heartbeatWalks;
    private final int slowTicks;
    /** Ticks a closing session may take to flush its goodbye before it is closed hard. */
    private final int closeGraceTicks;

    public Sweeper(LoopHub hub, Duration tick, Duration connectTimeout, Duration idleTimeout,
                   Duration heartbeatInterval, Duration slowConsumerTimeout, Duration closeGrace) {
        this.hub = hub;
        this.connectTicks = ticks(connectTimeout, tick);
        this.idleTicks = ticks(idleTimeout, tick);
        this.walkEvery = walkEvery(tick, connectTimeout, idleTimeout, heartbeatInterval, slowConsumerTimeout, closeGrace);
        this.heartbeatWalks = Math.max(1, ticks(heartbeatInterval, tick) / walkEvery);
        this.slowTicks = ticks(slowConsumerTimeout, tick);
        this.closeGraceTicks = ticks(closeGrace, tick);
        hub.ticksPerSecond((int) Math.max(1, 1000 / tick.toMillis()));
    }

    /** The tick: short enough to resolve the smallest timeout, never busier than 4 per second. */
    public static Duration tickFor(Duration... timeouts) {
        return Duration.ofMillis(Math.max(10, Math.min(250, shortestMillis(timeouts) / 4)));
    }

    /** Ticks from one walk to the next: the walk comes every half of the shortest timeout, at most once a second. */
    static int walkEvery(Duration tick, Duration... timeouts) {
        long period = Math.max(tick.toMillis(), Math.min(1000, shortestMillis(timeouts) / 2));
        return (int) Math.max(1, period / tick.toMillis());
    }

    private static long shortestMillis(Duration... timeouts) {
        long min = Long.MAX_VALUE;
        for (Duration d : timeouts) {
            min = Math.min(min, d.toMillis());
        }
        return min;
    }

    private static int ticks(Duration d, Duration tick) {
        return (int) Math.max(1, (d.toMillis() + tick.toMillis() - 1) / tick.toMillis());
    }

    /**
     * The tick: counts it, and every {@link #walkEvery} ticks starts a walk. A tick that comes while the last walk
     * is still under way is not counted.
     */
    @Override
    public void run() {
        if (next >= 0) {
            return;
        }
        tick = hub.advanceTick();
        if (tick % walkEvery != 0) {
            return;
        }
        walks++;
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
                    sweep(s);
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

    private void sweep(Session s) {
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
        } else if (s.isConnected() && (s.id() + walks) % heartbeatWalks == 0) {
            s.ping();
        }
    }
}
