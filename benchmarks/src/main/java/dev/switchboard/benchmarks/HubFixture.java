package dev.switchboard.benchmarks;

import dev.switchboard.bridge.Interest;
import dev.switchboard.bridge.memory.MemoryBroker;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.pipeline.ConnectionLimits;
import dev.switchboard.edge.session.Session;
import dev.switchboard.edge.session.SessionControl;
import dev.switchboard.edge.session.OutboundBudget;
import dev.switchboard.edge.session.SessionShared;
import dev.switchboard.wire.FrameCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One node's hub as the edge builds it (real {@link Hub}, {@link Interest},
 * {@link MemoryBroker}, event loops of a {@link MultiThreadIoEventLoopGroup}),
 * with sessions on {@link EmbeddedChannel}s instead of sockets, as
 * {@code SessionHarness} does in the edge's fuzz tests.
 *
 * <p>An EmbeddedChannel's own loop claims every thread as its own, so a session
 * built and driven only from one of the group's loops behaves as one registered
 * there: the hub confines it to that loop, and so does this fixture.
 */
final class HubFixture implements AutoCloseable {
    final MultiThreadIoEventLoopGroup group;
    final MemoryBroker broker = new MemoryBroker();
    final Hub hub;
    private final List<EventLoop> loops = new ArrayList<>();
    private final SessionShared shared;
    private long nextSessionId;

    HubFixture(int loopCount) {
        // NIO: in netty-transport itself; the edge defaults to io_uring, whose wake-ups cost about the same.
        group = new MultiThreadIoEventLoopGroup(loopCount, NioIoHandler.newFactory());
        group.forEach(e -> loops.add((EventLoop) e));
        // No linger: a loop's last unsubscribe goes all the way to the broker, the costly end of churn.
        Interest interest = new Interest(broker, group, Duration.ZERO);
        hub = new Hub(group, broker, interest, PooledByteBufAllocator.DEFAULT, new SessionControl("bench-node"));
        // No command dispatcher or presence: these sessions never read a frame and never announce presence,
        // so neither is reached; the limits are released when a session closes, hence a real instance.
        EdgeMetrics metrics = new EdgeMetrics(new SimpleMeterRegistry());
        shared = new SessionShared(new FrameCodec(), null, 64 * 1024, new OutboundBudget(1 << 20, 64 * 1024, metrics),
                metrics, null, new ConnectionLimits(0, 0, 0), 1_000_000, 1_000_000);
    }

    EventLoop loop(int i) {
        return loops.get(i);
    }

    int loopCount() {
        return loops.size();
    }

    /** Opens {@code count} sessions on loop {@code i} whose writes end in {@code sink}, each subscribed to {@code channels}. */
    Session[] open(int i, int count, DeliverySink sink, String... channels) {
        return on(i, () -> {
            Session[] out = new Session[count];
            for (int k = 0; k < count; k++) {
                long id = ++nextSessionId;
                Session s = new Session(id, "u" + id, "bench", Long.MAX_VALUE, hub.loopHub(loop(i)), shared);
                new EmbeddedChannel(sink).pipeline().addLast("session", s);
                for (String channel : channels) {
                    s.subscribe(channel);
                }
                out[k] = s;
            }
            return out;
        });
    }

    /** Runs {@code task} on loop {@code i} and waits for it (setup only). */
    <T> T on(int i, Callable<T> task) {
        try {
            return loop(i).submit(task).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("setup on loop " + i + " failed", e);
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        broker.close();
    }
}
