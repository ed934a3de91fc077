package dev.switchboard.benchmarks;

import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.BrokerHandler;
import dev.switchboard.bridge.LocalFirstBroker;
import dev.switchboard.wire.WebSocketFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One publication through the broker seam into the hub, as on a node whose
 * broker is the in-memory one: {@code MemoryBroker.publish} calls
 * {@code Hub.onMessage} on the publishing thread, which frames the message
 * once, retains it once per loop and hands each loop one task that writes it
 * to the loop's subscribers. And the envelope that {@link LocalFirstBroker}
 * puts around every message that goes to Redis (and takes off every message
 * that comes back).
 *
 * <p>Short by default (2×1 s warmup, 3×1 s measurement); for stable figures run
 * {@code java -jar benchmarks/target/benchmarks.jar BrokerDispatchBenchmark -wi 3 -w 2s -i 5 -r 2s}.
 */
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class BrokerDispatchBenchmark extends BenchmarkBase {
    static final String CHANNEL = "acme/chat/421337";

    /** {@code subscribers} sessions on one channel, alternating between the node's two loops. */
    @State(Scope.Benchmark)
    public static class Node {
        @Param({"1", "100", "10000"})
        public int subscribers;

        private HubFixture node;
        private DeliverySink[] sinks;
        private long[] bytesPerPublication;
        private long published;
        private byte[] message;

        @Setup
        public void setUp() {
            node = new HubFixture(2);
            message = Frames.publication(100).toByteArray();
            ByteBuf frame = WebSocketFrames.binary(PooledByteBufAllocator.DEFAULT, message);
            int frameBytes = frame.readableBytes();
            frame.release();
            sinks = new DeliverySink[2];
            bytesPerPublication = new long[2];
            for (int i = 0; i < 2; i++) {
                int onLoop = subscribers / 2 + (i < subscribers % 2 ? 1 : 0);
                sinks[i] = new DeliverySink();
                bytesPerPublication[i] = (long) onLoop * frameBytes;
                if (onLoop > 0) {
                    node.open(i, onLoop, sinks[i], CHANNEL);
                }
            }
        }

        @TearDown
        public void tearDown() {
            node.close();
        }

        /** Publishes once and returns when every subscriber's write of it has completed. */
        void publishAndAwait() throws InterruptedException {
            published++;
            int loopsWithSubscribers = bytesPerPublication[1] > 0 ? 2 : 1;
            CountDownLatch done = new CountDownLatch(loopsWithSubscribers);
            for (int i = 0; i < loopsWithSubscribers; i++) {
                sinks[i].arm(published * bytesPerPublication[i], done);
            }
            node.broker.publish(CHANNEL, message);
            if (!done.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("publication " + published + " was not delivered");
            }
        }
    }

    /**
     * Publish → written to every subscriber, one publication at a time (so the hub never batches):
     * the latency a publication adds on its node, from the broker handing it over to the last
     * write, including the wake-up of the loops and of the waiting thread.
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void publishToDelivered(Node n) throws InterruptedException {
        n.publishAndAwait();
    }

    /**
     * Two nodes' {@link LocalFirstBroker}s over a remote that keeps the last message (where Redis
     * would be), so the figures are the envelope's own work: on the sending node a copy with the
     * 9-byte header in front, on the receiving node the origin check and a copy without it.
     */
    @State(Scope.Benchmark)
    public static class Envelopes {
        @Param({"100", "1000"})
        public int payloadSize;

        private final LastMessageBroker sendingRemote = new LastMessageBroker();
        private final LastMessageBroker receivingRemote = new LastMessageBroker();
        private final LastMessageHandler received = new LastMessageHandler();
        private LocalFirstBroker sender;
        private byte[] message;
        private byte[] envelope;

        @Setup
        public void setUp() {
            sender = new LocalFirstBroker(sendingRemote);
            sender.setHandler(new LastMessageHandler());
            LocalFirstBroker receiver = new LocalFirstBroker(receivingRemote);
            receiver.setHandler(received);
            message = Frames.publication(payloadSize).toByteArray();
            sender.publish(CHANNEL, message);
            envelope = sendingRemote.last;
        }
    }

    /** A publish on the sending node (channel without local subscribers): the envelope is built. */
    @Benchmark
    public byte[] envelopeWrap(Envelopes e) {
        e.sender.publish(CHANNEL, e.message);
        return e.sendingRemote.last;
    }

    /** A message from another node arrives: origin checked, envelope taken off, handed to the hub. */
    @Benchmark
    public byte[] envelopeUnwrap(Envelopes e) {
        e.receivingRemote.handler.onMessage(CHANNEL, e.envelope);
        return e.received.last;
    }

    /** Where Redis would be: keeps the last published message and the handler it was given. */
    private static final class LastMessageBroker implements Broker {
        private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
        BrokerHandler handler;
        byte[] last;

        @Override
        public void setHandler(BrokerHandler handler) {
            this.handler = handler;
        }

        @Override
        public CompletableFuture<Void> publish(String channel, byte[] message) {
            last = message;
            return DONE;
        }

        @Override
        public CompletableFuture<Void> subscribe(String channel) {
            return DONE;
        }

        @Override
        public CompletableFuture<Void> unsubscribe(String channel) {
            return DONE;
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public String describe() {
            return "last-message";
        }

        @Override
        public void close() {
        }
    }

    /** Keeps the last message, so the copy the envelope's removal makes cannot be optimised away. */
    private static final class LastMessageHandler implements BrokerHandler {
        byte[] last;

        @Override
        public void onMessage(String channel, byte[] message) {
            last = message;
        }
    }
}
