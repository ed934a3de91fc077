package dev.switchboard.loadgen.metrics;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the events of a {@link RatePacer} on one event executor: a single
 * periodic tick (not a timer per event or per connection) fires every event
 * that is due, each with its intended time, then calls {@link Action#afterTick()}
 * so that writes can be flushed once per tick. The returned future completes when
 * every event was fired or the task was cancelled.
 *
 * <p>A tick fires at most {@code maxPerTick} events so that a far-behind
 * schedule cannot hog the loop; the rest go in the next tick, still with their
 * intended times.
 */
public final class PacedTask {
    /** What to do for each event. Runs on the executor, so it must not block. */
    public interface Action {
        void fire(long k, long intendedNanos);

        default void afterTick() {
        }
    }

    private static final long TICK_MICROS = 1_000;

    private final EventExecutor executor;
    private final RatePacer pacer;
    private final Action action;
    private final int maxPerTick;
    private final Promise<Void> done;
    private long next;
    private ScheduledFuture<?> tick;

    private PacedTask(EventExecutor executor, RatePacer pacer, Action action, int maxPerTick) {
        this.executor = executor;
        this.pacer = pacer;
        this.action = action;
        this.maxPerTick = maxPerTick;
        this.done = executor.newPromise();
    }

    /** Starts firing {@code pacer}'s events on {@code executor}. */
    public static PacedTask start(EventExecutor executor, RatePacer pacer, Action action, int maxPerTick) {
        PacedTask t = new PacedTask(executor, pacer, action, maxPerTick);
        executor.execute(t::begin);
        return t;
    }

    private void begin() {
        if (pacer.total() == 0) {
            done.trySuccess(null);
            return;
        }
        tick = executor.scheduleAtFixedRate(this::onTick, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
    }

    private void onTick() {
        if (done.isDone()) {
            return;
        }
        long due = Math.min(pacer.dueAt(System.nanoTime()), next + maxPerTick);
        try {
            while (next < due) {
                long k = next++;
                action.fire(k, pacer.intendedNanos(k));
            }
            action.afterTick();
        } catch (RuntimeException e) {
            // An exception escaping a periodic task would cancel it silently; fail the run loudly instead.
            if (tick != null) {
                tick.cancel(false);
            }
            done.tryFailure(e);
            return;
        }
        if (next >= pacer.total()) {
            finish();
        }
    }

    private void finish() {
        if (tick != null) {
            tick.cancel(false);
        }
        done.trySuccess(null);
    }

    /** Stops firing; events not yet fired are dropped. */
    public void cancel() {
        executor.execute(this::finish);
    }

    public Future<Void> done() {
        return done;
    }
}
