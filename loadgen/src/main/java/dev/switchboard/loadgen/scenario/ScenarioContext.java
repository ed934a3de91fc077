package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.LoadgenOptions;
import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.net.ClientResources;
import dev.switchboard.loadgen.net.Dialer;
import dev.switchboard.loadgen.protocol.Protocol;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a running scenario works with in one process: its options and slice,
 * the protocol driver, the shared client resources, the stats, a barrier
 * shared with the other workers, how to wait out the drain, and the run's
 * hard deadline.
 */
public final class ScenarioContext {
    private static final Logger log = LoggerFactory.getLogger(ScenarioContext.class);
    private static final long POLL_MILLIS = DrainGate.POLL_MILLIS;

    private final LoadgenOptions options;
    private final Slice slice;
    private final Protocol protocol;
    private final ClientResources resources;
    private final LoadStats stats;
    private final Dialer dialer;
    private final Protocol publishProtocol;
    private final Dialer publishDialer;
    private final Consumer<String> barrier;
    private final DrainGate drainGate;
    private final Results results;
    private final long deadlineNanos;

    /** @param publishProtocol the driver of the server publishers connect to ({@code --publish-target}), else {@code protocol} */
    public ScenarioContext(LoadgenOptions options, Slice slice, Protocol protocol, Protocol publishProtocol,
                           ClientResources resources, LoadStats stats, Consumer<String> barrier, DrainGate drainGate,
                           Results results, long deadlineNanos) {
        this.options = options;
        this.slice = slice;
        this.protocol = protocol;
        this.resources = resources;
        this.stats = stats;
        this.barrier = barrier;
        this.drainGate = drainGate;
        this.results = results;
        this.deadlineNanos = deadlineNanos;
        this.dialer = new Dialer(resources, protocol, stats, options.sourceAddresses(), options.handshakeTimeout());
        this.publishProtocol = publishProtocol;
        this.publishDialer = publishProtocol == protocol ? dialer
                : new Dialer(resources, publishProtocol, stats, options.sourceAddresses(), options.handshakeTimeout());
    }

    public LoadgenOptions options() { return options; }
    public Slice slice() { return slice; }
    public Protocol protocol() { return protocol; }
    public ClientResources resources() { return resources; }
    public LoadStats stats() { return stats; }
    public Dialer dialer() { return dialer; }
    /** The driver of the server that publishers connect to: the target's own unless {@code --publish-target}. */
    public Protocol publishProtocol() { return publishProtocol; }
    /** Dials publisher connections: to {@code --publish-target} when given, else as {@link #dialer()}. */
    public Dialer publishDialer() { return publishDialer; }
    public Results results() { return results; }

    /** Waits until every process reached {@code phase} (and the coordinator ran its hook). */
    public void barrier(String phase) {
        barrier.accept(phase);
    }

    /**
     * Polls {@code done} until it holds, {@code max} passes or the run's deadline
     * comes; returns whether it holds. The scenario thread may block; event loops never do.
     */
    public boolean await(String what, BooleanSupplier done, Duration max) throws InterruptedException {
        long until = Math.min(deadlineNanos, System.nanoTime() + max.toNanos());
        while (!done.getAsBoolean()) {
            if (System.nanoTime() >= until) {
                log.warn("gave up waiting for {} after {}", what, max);
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }

    /**
     * The drain after the last publication: waits until the whole run (every process) delivered what its
     * publications owe, or until {@code drain} passes (or the run's deadline comes); reports how long it
     * waited as {@code drain_seconds}.
     *
     * @param expected the deliveries this process's publications owe, counting every subscriber of the run
     */
    public void drain(Duration drain, long expected) throws InterruptedException {
        long start = System.nanoTime();
        Duration max = Duration.ofNanos(Math.max(0, Math.min(drain.toNanos(), deadlineNanos - start)));
        drainGate.await(expected, () -> stats.counters().delivered(), max);
        results.put("drain_seconds", Results.Merge.MAX, (System.nanoTime() - start) / 1e9);
    }

    /** Sleeps for {@code d}, or until the deadline. */
    public void hold(Duration d) throws InterruptedException {
        long until = Math.min(deadlineNanos, System.nanoTime() + d.toNanos());
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, Math.min(left / 1_000_000, 200)));
        }
    }

    /** How long to wait for a ramp of {@code count} connections (at this process's share of the ramp rate, or in flight). */
    public Duration rampWait(int count) {
        // With handshakes in flight instead of a rate, allow a second per handshake and slot (a busy machine).
        double seconds = options.connectConcurrency() > 0 ? count / (double) options.connectConcurrency()
                : count / slice.share(options.rampRate());
        return Duration.ofMillis((long) (seconds * 1000)).plus(options.handshakeTimeout()).plusSeconds(5);
    }
}
