package dev.switchboard.edge.fuzz;

import dev.switchboard.bridge.Interest;
import dev.switchboard.bridge.memory.MemoryBroker;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.presence.MemoryPresenceStore;
import dev.switchboard.edge.presence.PresenceService;
import dev.switchboard.edge.session.ChatBackend;
import dev.switchboard.edge.session.CommandDispatcher;
import dev.switchboard.edge.session.Session;
import dev.switchboard.edge.session.SessionControl;
import dev.switchboard.edge.session.OutboundBudget;
import dev.switchboard.edge.session.SessionShared;
import dev.switchboard.wire.FrameCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One session of user {@code alice} in org {@code acme} on an {@link EmbeddedChannel},
 * as the edge has it after the WebSocket upgrade, with the node's real hub, command
 * dispatcher and an in-memory broker (so a publish comes back through fan-out).
 * Limits are small so that fuzzed inputs reach them.
 */
final class SessionHarness implements AutoCloseable {
    static final String NODE = "fuzz-node";
    static final int MAX_MESSAGE_BYTES = 4096;
    private static final EdgeMetrics METRICS = new EdgeMetrics(new SimpleMeterRegistry());

    final TrackingAllocator alloc = new TrackingAllocator();
    final EmbeddedChannel ch = new EmbeddedChannel();
    private final MemoryBroker broker = new MemoryBroker();
    private final PresenceService presence;
    private final List<ByteBuf> written = new ArrayList<>();

    SessionHarness() {
        ch.config().setAllocator(alloc);
        // EmbeddedEventLoop is an EventLoopGroup of one loop, so the hub has exactly this channel's loop.
        Interest interest = new Interest(broker, ch.eventLoop(), Duration.ZERO);
        Hub hub = new Hub(ch.eventLoop(), broker, interest, alloc, new SessionControl(NODE));
        presence = new PresenceService(NODE, new MemoryPresenceStore(Duration.ofMinutes(1)), broker, hub,
                (org, user) -> CompletableFuture.completedFuture(List.of()));
        CommandDispatcher dispatcher = new CommandDispatcher(NODE,
                dev.switchboard.auth.TokenVerifier.builder().hs256Secret("fuzz-secret-0123456789abcdef0123456789").build(),
                broker, ChatBackend.NONE, presence, METRICS, 1024, 8, 25_000, 60_000);
        SessionShared shared = new SessionShared(new FrameCodec(), dispatcher, MAX_MESSAGE_BYTES,
                new OutboundBudget(1 << 20, 64 * 1024, METRICS), METRICS, presence,
                new dev.switchboard.edge.pipeline.ConnectionLimits(0, 0, 0), 1_000_000, 1_000_000);
        ch.pipeline().addLast("session", new Session(1, "alice", "acme", 0, hub.loopHub(ch.eventLoop()), shared));
    }

    /** Delivers {@code bytes} as one socket read, then runs what the loop would run after it. */
    void read(byte[] bytes, int from, int to) {
        ByteBuf in = alloc.buffer(to - from).writeBytes(bytes, from, to - from);
        ch.writeInbound(in);
        ch.runPendingTasks();
        collectWritten();
    }

    /** Closes the channel (if the session has not), then returns everything the session wrote. */
    ServerOutput finish() {
        ch.close();
        ch.runPendingTasks();
        collectWritten();
        ByteBuf all = ServerOutput.concat(written);
        written.clear();
        try {
            return ServerOutput.parse(all);
        } finally {
            all.release();
        }
    }

    private void collectWritten() {
        for (Object msg; (msg = ch.readOutbound()) != null; ) {
            written.add((ByteBuf) msg);
        }
    }

    @Override
    public void close() {
        written.forEach(ByteBuf::release);
        ch.finishAndReleaseAll();
        // The presence service has a thread of its own; a fuzz run builds one harness per input.
        presence.close();
        broker.close();
    }
}
