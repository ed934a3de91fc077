package dev.switchboard.benchmarks;

import dev.switchboard.edge.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import dev.switchboard.wire.WebSocketFrames;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The node's hub ({@code edge.hub.Hub}, {@code LoopHub}) under the two loads
 * it sees: subscription churn from several event loops at once (connects,
 * joins, disconnects), and a broker publication looked up and handed to the
 * loops that have subscribers.
 *
 * <p>Short by default (2×1 s warmup, 3×1 s measurement: 18 parameter
 * combinations); for stable figures run
 * {@code java -jar benchmarks/target/benchmarks.jar HubBenchmark -wi 3 -w 2s -i 5 -r 2s}.
 */
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class HubBenchmark extends BenchmarkBase {
    /** Subscribe + unsubscribe pairs per loop per round: enough to hide the round's hand-off and wait. */
    static final int CHANNELS_PER_ROUND = 256;

    /**
     * {@code loops} event loops, one churning session on each. {@code names}: {@code own} gives
     * every loop channels of its own (contention only on the hub's shared maps and counters),
     * {@code shared} gives all loops the same channels (the same map bins and routes too).
     * {@code resident}: whether another session of the loop stays subscribed to every channel, so
     * a change is a member joining or leaving (loop-local set and counters) rather than the loop's
     * first or last subscriber (route, interest and broker subscription every time).
     */
    @State(Scope.Benchmark)
    public static class Churn {
        @Param({"1", "2", "4"})
        public int loops;

        @Param({"own", "shared"})
        public String names;

        @Param({"false", "true"})
        public boolean resident;

        private HubFixture node;
        private Session[] churners;
        private String[][] channels;

        @Setup
        public void setUp() {
            node = new HubFixture(loops);
            churners = new Session[loops];
            channels = new String[loops][CHANNELS_PER_ROUND];
            for (int i = 0; i < loops; i++) {
                for (int k = 0; k < CHANNELS_PER_ROUND; k++) {
                    channels[i][k] = "shared".equals(names) ? "bench/chat/" + k : "bench/chat/" + i + "-" + k;
                }
                DeliverySink sink = new DeliverySink();
                if (resident) {
                    node.open(i, 1, sink, channels[i]);
                }
                churners[i] = node.open(i, 1, sink)[0];
            }
        }

        @TearDown
        public void tearDown() {
            node.close();
        }

        /** Every loop subscribes its session to its channels, then unsubscribes them; returns when all are done. */
        void round() throws InterruptedException {
            CountDownLatch done = new CountDownLatch(loops);
            for (int i = 0; i < loops; i++) {
                Session s = churners[i];
                String[] mine = channels[i];
                node.loop(i).execute(() -> {
                    for (String c : mine) {
                        s.subscribe(c);
                    }
                    for (String c : mine) {
                        s.unsubscribe(c);
                    }
                    done.countDown();
                });
            }
            if (!done.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a loop did not finish its round");
            }
        }
    }

    /** Reported by JMH as a rate: subscription changes per second over all loops together. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Changes {
        public long changes;

        @Setup(Level.Iteration)
        public void reset() {
            changes = 0;
        }
    }

    /**
     * Subscription changes per second with 1, 2, 4 loops churning at once; read the
     * {@code changes} line (the primary score counts rounds). On this 2-core machine 4 loops
     * oversubscribe the cores: that row shows contention plus time slicing.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void subscribeUnsubscribe(Churn s, Changes c) throws InterruptedException {
        s.round();
        c.changes += 2L * CHANNELS_PER_ROUND * s.loops;
    }

    /**
     * One subscriber on each of {@code loops} loops, all on one channel; the publishing thread is
     * the broker's (here JMH's). It waits for the loops every {@link #WINDOW} publications, so
     * queues stay bounded and the figure is the sustained cost of a publication: look-up, frame
     * once, one retain and one task per loop, plus the loops' writes as far as they do not overlap.
     */
    @State(Scope.Benchmark)
    public static class Dispatch {
        static final String CHANNEL = "bench/chat/dispatch";

        @Param({"1", "2", "4"})
        public int loops;

        private HubFixture node;
        private DeliverySink[] sinks;
        private byte[] message;
        private int frameBytes;
        private long published;

        @Setup
        public void setUp() {
            node = new HubFixture(loops);
            sinks = new DeliverySink[loops];
            for (int i = 0; i < loops; i++) {
                sinks[i] = new DeliverySink();
                node.open(i, 1, sinks[i], CHANNEL);
            }
            message = Frames.publication(100).toByteArray();
            ByteBuf frame = WebSocketFrames.binary(PooledByteBufAllocator.DEFAULT, message);
            frameBytes = frame.readableBytes();
            frame.release();
        }

        @TearDown
        public void tearDown() throws InterruptedException {
            awaitDelivered();
            node.close();
        }

        void publish() throws InterruptedException {
            node.hub.onMessage(CHANNEL, message);
            if (++published % WINDOW == 0) {
                awaitDelivered();
            }
        }

        private void awaitDelivered() throws InterruptedException {
            CountDownLatch done = new CountDownLatch(loops);
            for (DeliverySink sink : sinks) {
                sink.arm(published * frameBytes, done);
            }
            if (!done.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("deliveries did not complete");
            }
        }
    }

    /** Publications in flight before the publisher waits for the loops. */
    static final int WINDOW = 64;

    /** A publication for a channel with subscribers on 1, 2, 4 loops (one each). */
    @Benchmark
    public void lookupAndDispatch(Dispatch d) throws InterruptedException {
        d.publish();
    }

    /** A publication for a channel without local subscribers: the route look-up alone. */
    @Benchmark
    public void lookupMiss(Dispatch d) {
        d.node.hub.onMessage("bench/chat/nobody", d.message);
    }
}
