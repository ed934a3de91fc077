package dev.switchboard.benchmarks;

import com.google.protobuf.ByteString;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.bridge.Interest;
import dev.switchboard.bridge.memory.MemoryBroker;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.hub.LoopHub;
import dev.switchboard.edge.pipeline.ConnectionLimits;
import dev.switchboard.edge.presence.MemoryPresenceStore;
import dev.switchboard.edge.presence.PresenceService;
import dev.switchboard.edge.session.ChatBackend;
import dev.switchboard.edge.session.CommandDispatcher;
import dev.switchboard.edge.session.OutboundBudget;
import dev.switchboard.edge.session.Session;
import dev.switchboard.edge.session.SessionControl;
import dev.switchboard.edge.session.SessionShared;
import dev.switchboard.wire.FrameCodec;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.Connect;
import dev.switchboard.wire.proto.Publish;
import dev.switchboard.wire.proto.Subscribe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One client publish on a small channel, end to end on one event loop, as in the
 * 500-channel fan-out scenario (docs/benchmarks.md, issue 14 "Many small channels"):
 * the WebSocket frame read and unmasked, the command decoded, checked and dispatched,
 * the publication encoded, the in-memory broker, the hub's batch, a write to each of
 * {@code subscribers} sessions and their flush after the loop iteration. The publish
 * has id 0 (fire-and-forget, as loadgen's publishers send it). Sessions are
 * {@link EmbeddedChannel}s whose writes end in a sink that releases them; run with
 * {@code -prof gc} and read {@code gc.alloc.rate.norm}: the garbage of one publish
 * and its deliveries.
 */
@State(Scope.Thread)
public class PublishPathBenchmark extends BenchmarkBase {
    static final String SECRET = "benchmark-secret-0123456789abcdef0123";
    static final String CHANNEL = "bench/room-42";

    static final int BATCH = 10_000;

    @Param({"10"})
    public int subscribers;

    @Param({"100"})
    public int payloadSize;

    private final EmbeddedChannel host = new EmbeddedChannel();
    private final MemoryBroker broker = new MemoryBroker();
    private final DeliverySink sink = new DeliverySink();
    private PresenceService presence;
    private LoopHub loopHub;
    private Session publisher;
    private ChannelHandlerContext publisherContext;
    private ByteBuf publishFrame;
    private final Runnable batch = this::publishBatch;

    @Setup
    public void setUp() {
        EdgeMetrics metrics = new EdgeMetrics(new SimpleMeterRegistry());
        Hub hub = new Hub(host.eventLoop(), broker, new Interest(broker, host.eventLoop(), Duration.ZERO),
                PooledByteBufAllocator.DEFAULT, new SessionControl("bench-node"));
        loopHub = hub.loopHub(host.eventLoop());
        presence = new PresenceService("bench-node", new MemoryPresenceStore(Duration.ofMinutes(1)), broker, hub,
                (org, user) -> CompletableFuture.completedFuture(List.of()));
        CommandDispatcher dispatcher = new CommandDispatcher("bench-node", TokenVerifier.builder().hs256Secret(SECRET).build(),
                broker, ChatBackend.NONE, presence, metrics, 64 * 1024, 100, 25_000, 60_000);
        SessionShared shared = new SessionShared(new FrameCodec(), dispatcher, 64 * 1024,
                new OutboundBudget(1 << 20, 64 * 1024, metrics), metrics, presence, new ConnectionLimits(0, 0, 0),
                1_000_000, 1_000_000);
        for (int i = 0; i < subscribers; i++) {
            Session s = open(hub, shared, i);
            read(s, ClientFrame.newBuilder().setId(2).setSubscribe(Subscribe.newBuilder().setChannel(CHANNEL)).build());
        }
        publisher = open(hub, shared, subscribers);
        publisherContext = publisher.channel().pipeline().context(publisher);
        publishFrame = clientMessage(ClientFrame.newBuilder().setPublish(Publish.newBuilder().setChannel(CHANNEL)
                .setPayload(ByteString.copyFrom(Frames.payload(payloadSize)))).build());
        long before = sink.bytes();
        publishOnce();
        if (sink.bytes() - before < (long) subscribers * payloadSize) {
            throw new IllegalStateException("the publication did not reach the " + subscribers + " subscribers");
        }
    }

    @TearDown
    public void tearDown() {
        publishFrame.release();
        host.finishAndReleaseAll();
        presence.close();
        broker.close();
    }

    /**
     * One publish read from the publisher's socket, fanned out and flushed to every subscriber; {@link #BATCH} of
     * them per call, run as on an event loop's thread: Netty 4.2 recycles its pooled buffer objects and their
     * duplicates only on threads that clean up fast thread-locals (the edge's loops do, JMH's threads do not), so
     * without it a third of the garbage would be the benchmark's own.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long publish() {
        FastThreadLocalThread.runWithFastThreadLocal(batch);
        return sink.bytes();
    }

    private void publishBatch() {
        for (int i = 0; i < BATCH; i++) {
            publishOnce();
        }
    }

    private void publishOnce() {
        // A sweep tick per publish refills the command budget (1,000,000 per second, 4 ticks a second).
        loopHub.advanceTick();
        publisher.channelRead(publisherContext, publishFrame.retainedDuplicate());
        host.runPendingTasks();
    }

    /** A connected session on the host's loop whose writes end in the sink. */
    private Session open(Hub hub, SessionShared shared, int i) {
        Session s = new Session(i + 1, "u" + i, "bench", Long.MAX_VALUE, loopHub, shared);
        LoopEmbeddedChannel ch = new LoopEmbeddedChannel(host.eventLoop());
        ch.pipeline().addLast(sink).addLast("session", s);
        read(s, ClientFrame.newBuilder().setId(1).setConnect(Connect.getDefaultInstance()).build());
        if (!s.isConnected()) {
            throw new IllegalStateException("session " + i + " did not connect");
        }
        return s;
    }

    private void read(Session s, ClientFrame frame) {
        ByteBuf message = clientMessage(frame);
        s.channelRead(s.channel().pipeline().context(s), message);
        host.runPendingTasks();
    }

    /** A client's WebSocket message holding {@code frame}: binary, final, masked with the key 0 (unmasking keeps the bytes). */
    private static ByteBuf clientMessage(ClientFrame frame) {
        ByteBuf body = FrameCodec.encode(PooledByteBufAllocator.DEFAULT, frame);
        try {
            int n = body.readableBytes();
            ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(n + 14);
            out.writeByte(0x82);
            if (n < 126) {
                out.writeByte(0x80 | n);
            } else {
                out.writeByte(0x80 | 126).writeShort(n);
            }
            out.writeInt(0).writeBytes(body);
            return out;
        } finally {
            body.release();
        }
    }
}
