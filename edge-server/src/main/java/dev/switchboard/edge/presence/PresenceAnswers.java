package dev.switchboard.edge.presence;

import dev.switchboard.wire.proto.PresenceResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One node's answers to presence queries, shared per channel for a short while. Answering a chat channel's presence
 * asks the presence store about every member (a Redis command per member), and one command of one client could ask
 * it 200 times a second, so the work would grow with the channel's size times the queries. Here a channel's answer is
 * worked out at most once per {@code reuse} on this node, and queries that arrive meanwhile (from any session) get
 * the same answer, or wait for it if it is still being worked out. A failed answer is not kept. Who may ask is checked
 * per query before this, never here.
 *
 * <p>A presence change of a chat channel passing through this node ({@link #forget}, called by the hub before the
 * change reaches any session here) drops the channel's answer: a client that was told of a change and then asks gets
 * an answer worked out after it, never the one from before.
 */
public final class PresenceAnswers {
    /** How long an answer is given again: presence changes reach subscribers as pushes within about as long. */
    public static final Duration DEFAULT_REUSE = Duration.ofSeconds(1);
    /** Past this many channels (or twice as many as the last sweep left), a new answer first drops the old ones. */
    static final int SWEEP_ABOVE = 64;

    private final ConcurrentHashMap<String, Answer> answers = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final long reuseNanos;
    /** Sweeps are at least a doubling apart, so that their cost per answer stays constant. Races are harmless. */
    private volatile int sweepAbove = SWEEP_ABOVE;

    private record Answer(long startedNanos, CompletableFuture<PresenceResult> result) {
    }

    public PresenceAnswers(Duration reuse, LongSupplier nanoClock) {
        this.reuseNanos = reuse.toNanos();
        this.nanoClock = nanoClock;
    }

    public PresenceAnswers() {
        this(DEFAULT_REUSE, System::nanoTime);
    }

    /** The channel's answer: one worked out less than {@code reuse} ago (or being worked out), else {@code work}'s. */
    public CompletableFuture<PresenceResult> answer(String channel, Supplier<CompletableFuture<PresenceResult>> work) {
        long now = nanoClock.getAsLong();
        Answer fresh = new Answer(now, new CompletableFuture<>());
        Answer current = answers.compute(channel, (k, old) -> old != null && now - old.startedNanos < reuseNanos ? old : fresh);
        if (current != fresh) {
            return current.result;
        }
        if (answers.size() > sweepAbove) {
            answers.values().removeIf(a -> now - a.startedNanos >= reuseNanos && a.result.isDone());
            sweepAbove = Math.max(SWEEP_ABOVE, 2 * answers.size());
        }
        CompletableFuture<PresenceResult> worked;
        try {
            worked = work.get();
        } catch (RuntimeException e) {
            worked = CompletableFuture.failedFuture(e);
        }
        worked.whenComplete((r, err) -> {
            if (err != null) {
                answers.remove(channel, fresh);
                fresh.result.completeExceptionally(err);
            } else {
                fresh.result.complete(r);
            }
        });
        return fresh.result;
    }

    /** Drops the channel's answer (its presence changed): the next query works out a new one. */
    public void forget(String channel) {
        answers.remove(channel);
    }

    /** Channels with an answer kept (for tests and the sweep's bound). */
    int size() {
        return answers.size();
    }
}
