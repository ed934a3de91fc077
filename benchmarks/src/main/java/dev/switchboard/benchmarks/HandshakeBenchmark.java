package dev.switchboard.benchmarks;

import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.bridge.Interest;
import dev.switchboard.bridge.memory.MemoryBroker;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.pipeline.ConnectRateLimiter;
import dev.switchboard.edge.pipeline.ConnectionLimits;
import dev.switchboard.edge.pipeline.EdgeChannelInitializer;
import dev.switchboard.edge.presence.MemoryPresenceStore;
import dev.switchboard.edge.presence.PresenceService;
import dev.switchboard.edge.session.ChatBackend;
import dev.switchboard.edge.session.CommandDispatcher;
import dev.switchboard.edge.session.OutboundBudget;
import dev.switchboard.edge.session.SessionControl;
import dev.switchboard.edge.session.SessionShared;
import dev.switchboard.http.HttpServerOptions;
import dev.switchboard.http.HttpServerPipeline;
import dev.switchboard.wire.FrameCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The garbage of one WebSocket handshake on the edge's public port: the shared HTTP
 * layer's stage decoding {@code GET /ws}, the JWT check, the connection limits, the 101
 * and the switch to the session, then the session's close (docs/benchmarks.md,
 * "Handshake garbage"; run with {@code -prof gc} and read {@code gc.alloc.rate.norm}).
 * The node is the edge's own ({@link EdgeChannelInitializer}, {@link Hub}, command
 * dispatcher, presence, limits on), its connections {@link EmbeddedChannel}s instead of
 * sockets. {@link #openAndClose} is the same channel without a request: what the
 * embedded channel itself costs, to subtract.
 *
 * <p>Every iteration also prints the worker thread's own CPU time per operation
 * ({@code cpu ns/op}): on a shared, loaded machine the wall time per operation
 * counts the time the thread waited for a core (and for the JIT's threads), which
 * the handshake does not spend (docs/benchmarks.md, "Handshake wall time").
 */
@State(Scope.Thread)
public class HandshakeBenchmark extends BenchmarkBase {
    static final String SECRET = "benchmark-secret-0123456789abcdef0123";

    /** One embedded loop for the node and every connection, as if they all lived on one event loop. */
    private final EmbeddedChannel host = new EmbeddedChannel();
    private final MemoryBroker broker = new MemoryBroker();
    private PresenceService presence;
    private HttpServerPipeline http;
    private byte[] request;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long ops;
    private long cpuAtStart;

    @Setup
    public void setUp() {
        EdgeMetrics metrics = new EdgeMetrics(new SimpleMeterRegistry());
        Hub hub = new Hub(host.eventLoop(), broker, new Interest(broker, host.eventLoop(), Duration.ZERO),
                PooledByteBufAllocator.DEFAULT, new SessionControl("bench-node"));
        TokenVerifier verifier = TokenVerifier.builder().hs256Secret(SECRET).build();
        presence = new PresenceService("bench-node", new MemoryPresenceStore(Duration.ofMinutes(1)), broker, hub,
                (org, user) -> CompletableFuture.completedFuture(List.of()));
        CommandDispatcher dispatcher = new CommandDispatcher("bench-node", verifier, broker, ChatBackend.NONE, presence,
                metrics, 64 * 1024, 100, 25_000, 60_000);
        ConnectionLimits limits = new ConnectionLimits(100, 0, 0);
        SessionShared shared = new SessionShared(new FrameCodec(), dispatcher, 64 * 1024,
                new OutboundBudget(1 << 20, 64 * 1024, metrics), metrics, presence, limits, 100, 200);
        http = new EdgeChannelInitializer(verifier, hub, shared, metrics, HttpServerOptions.defaults(), null, null,
                () -> false, limits, new ConnectRateLimiter(0), List.of(), null).http();
        String token = new TokenIssuer(SECRET).issue("user-12345", "acme", Duration.ofDays(1));
        request = ("GET /ws HTTP/1.1\r\n"
                + "Host: edge.example.com\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Origin: https://chat.example.com\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0\r\n"
                + "Authorization: Bearer " + token + "\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuf answer = handshake();
        try {
            String head = answer.toString(StandardCharsets.US_ASCII);
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IllegalStateException("not upgraded: " + head);
            }
        } finally {
            answer.release();
        }
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        ops = 0;
        cpuAtStart = threads.getCurrentThreadCpuTime();
    }

    /** Prints the iteration's CPU time of this (the benchmark's) thread per operation. */
    @TearDown(Level.Iteration)
    public void endIteration() {
        long cpu = threads.getCurrentThreadCpuTime() - cpuAtStart;
        System.out.printf(" [cpu %,d ns/op over %,d ops]", ops == 0 ? 0 : cpu / ops, ops);
    }

    @TearDown
    public void tearDown() {
        host.finishAndReleaseAll();
        presence.close();
        broker.close();
    }

    /** Upgrade, auth and the session's close; returns nothing that outlives the call. */
    @Benchmark
    public int upgradeAndClose() {
        ops++;
        ByteBuf answer = handshake();
        int n = answer.readableBytes();
        answer.release();
        return n;
    }

    /** The embedded channel with the HTTP stage installed, opened and closed without a request (the baseline). */
    @Benchmark
    public boolean openAndClose() {
        ops++;
        LoopEmbeddedChannel ch = new LoopEmbeddedChannel(host.eventLoop());
        http.install(ch.pipeline());
        ch.close();
        host.runPendingTasks();
        return ch.isOpen();
    }

    /** One connection's handshake; returns the 101 (to release) after the connection closed. */
    private ByteBuf handshake() {
        LoopEmbeddedChannel ch = new LoopEmbeddedChannel(host.eventLoop());
        http.install(ch.pipeline());
        ch.writeInbound(Unpooled.wrappedBuffer(request));
        ByteBuf answer = ch.readOutbound();
        ch.close();
        host.runPendingTasks();
        return answer;
    }
}
