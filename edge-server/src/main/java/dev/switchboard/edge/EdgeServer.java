package dev.switchboard.edge;

import dev.switchboard.http.HttpError;
import dev.switchboard.http.Router;
import java.util.function.Function;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.Interest;
import dev.switchboard.bridge.memory.MemoryBroker;
import dev.switchboard.edge.api.ServerApi;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.hub.LoopHub;
import dev.switchboard.edge.pipeline.ConnectRateLimiter;
import dev.switchboard.edge.pipeline.ConnectionLimits;
import dev.switchboard.edge.pipeline.EdgeChannelInitializer;
import dev.switchboard.edge.presence.MemoryPresenceStore;
import dev.switchboard.edge.presence.PresenceService;
import dev.switchboard.edge.presence.PresenceStore;
import dev.switchboard.edge.session.ChatBackend;
import dev.switchboard.edge.session.CommandDispatcher;
import dev.switchboard.edge.session.Session;
import dev.switchboard.edge.session.SessionControl;
import dev.switchboard.edge.session.OutboundBudget;
import dev.switchboard.edge.session.SessionShared;
import dev.switchboard.edge.session.Sweeper;
import dev.switchboard.edge.transport.FixedReadAllocator;
import dev.switchboard.edge.transport.Transport;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.FrameCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One edge node: the public WebSocket port, the server API port, the hub and
 * the event loops. Built with {@link #builder}, started by {@link Builder#start},
 * stopped gracefully by {@link #close}: stop accepting, tell every session to
 * reconnect elsewhere (spread over a jittered delay), wait for them to go up to
 * the shutdown timeout, then stop the loops.
 */
public final class EdgeServer implements AutoCloseable, dev.switchboard.edge.api.DrainControl {
    private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);

    private final EdgeServerOptions options;
    private final Transport transport;
    private final EventLoopGroup group;
    /** The server API's own loop (null without the API): its calls and scrapes never run on a WebSocket loop. */
    private final EventLoopGroup apiGroup;
    private final Broker broker;
    private final boolean ownsBroker;
    private final Hub hub;
    private final EdgeMetrics metrics;
    private final Channel serverChannel;
    private final dev.switchboard.http.HttpServerPipeline http;
    private final ServerApi api;
    private final Drainer drainer;
    private final PresenceService presence;

    /** Presence lease lifetime by default (see {@link EdgeServerOptions#presenceTtl()}). */
    public static final Duration DEFAULT_PRESENCE_TTL = EdgeServerOptions.DEFAULT_PRESENCE_TTL;
    public static final Duration DEFAULT_PRESENCE_REAP = Duration.ofSeconds(1);
    public static final Duration DEFAULT_PRESENCE_WINDOW = Duration.ofMillis(250);
    private volatile boolean closed;

    private EdgeServer(Builder b, Transport transport, EventLoopGroup group, EventLoopGroup apiGroup) throws InterruptedException {
        this.options = b.options;
        this.transport = transport;
        this.group = group;
        this.apiGroup = apiGroup;
        this.ownsBroker = b.broker == null;
        this.broker = ownsBroker ? new MemoryBroker() : b.broker;
        this.metrics = new EdgeMetrics(b.meterRegistry == null ? new SimpleMeterRegistry() : b.meterRegistry);
        Interest interest = new Interest(broker, group.next(), options.interestLinger());
        this.hub = new Hub(group, broker, interest, PooledByteBufAllocator.DEFAULT, new SessionControl(options.nodeId()),
                metrics.latencies());
        metrics.bind(hub);
        this.drainer = new Drainer(hub);
        this.presence = new PresenceService(options.nodeId(),
                b.presenceStore != null ? b.presenceStore : new MemoryPresenceStore(options.presenceTtl()),
                broker, hub, b.chat::channelsOf);
        presence.start(options.presenceRenew(), DEFAULT_PRESENCE_REAP, DEFAULT_PRESENCE_WINDOW);
        hub.onPresenceChanges(presence.answers()::forget);
        CommandDispatcher dispatcher = new CommandDispatcher(options.nodeId(), b.verifier, broker, b.chat, presence, metrics,
                options.maxPayloadBytes(), options.maxChannelsPerSession(),
                (int) options.heartbeatInterval().toMillis(), (int) options.idleTimeout().toMillis());
        SessionShared shared = new SessionShared(new FrameCodec(options.maxFramesPerMessage()), dispatcher,
                options.maxMessageBytes(), new OutboundBudget(options.maxOutboundBytes(), options.writeBufferHigh(), metrics),
                metrics, presence,
                new ConnectionLimits(hub.users(), options.maxConnectionsPerUser(), options.maxConnectionsPerIp(),
                        options.maxConnectionsPerOrg()),
                options.commandRate(), options.commandBurst());
        ConnectRateLimiter connectRate = new ConnectRateLimiter(options.connectRatePerIp());
        if (options.connectRatePerIp() > 0) {
            // The walk over every address's bucket grows with the clients' addresses; the API's loop does it where
            // there is one, so that a WebSocket loop does not stop for it.
            (apiGroup != null ? apiGroup : group).next()
                    .scheduleAtFixedRate(connectRate::evictIdle, 30, 30, TimeUnit.SECONDS);
        }
        EdgeChannelInitializer initializer = new EdgeChannelInitializer(b.verifier, hub, shared, metrics,
                options.http(), b.extraRoutes, b.extraErrors, drainer::isDraining,
                shared.limits(), connectRate, options.allowedOrigins(), b.ssl);
        this.http = initializer.http();
        startSweepers();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                // One allocator and one water-mark object for every connection (docs/performance.md #2). Fixed-size
                // reads: what clients send is small (commands, chat messages), and the adaptive allocator's
                // per-connection state cost 57 B per idle connection (docs/benchmarks.md, section 1); Netty's fixed
                // one still keeps 72 B per connection, FixedReadAllocator 32 (ADR 0015).
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new FixedReadAllocator(Transport.RECEIVE_BUFFER_BYTES))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(options.writeBufferLow(), options.writeBufferHigh()))
                .childHandler(initializer);
        transport.configureChildren(bootstrap);
        this.serverChannel = bootstrap
                .bind(new InetSocketAddress(options.host(), options.port())).sync().channel();
        this.api = apiGroup != null
                ? ServerApi.start(apiGroup, transport, options, b.apiKeys, broker, hub, b.chat, metrics, this)
                : null;
        log.info("edge {} listening on {} (transport {}, {} event loops, broker {}){}", options.nodeId(),
                serverChannel.localAddress(), transport, hub.loops().size(), broker.describe(),
                api == null ? "" : ", server API on " + api.localAddress());
    }

    private void startSweepers() {
        Duration tick = Sweeper.tickFor(options.connectTimeout(), options.heartbeatInterval(),
                options.idleTimeout(), options.slowConsumerTimeout(), options.closeGrace());
        for (LoopHub lh : hub.loops()) {
            Sweeper sweeper = new Sweeper(lh, tick, options.connectTimeout(), options.idleTimeout(),
                    options.heartbeatInterval(), options.slowConsumerTimeout(), options.closeGrace());
            lh.loop().scheduleAtFixedRate(sweeper, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public static Builder builder(EdgeServerOptions options) {
        return new Builder(options);
    }

    public EdgeServerOptions options() {
        return options;
    }

    public String nodeId() {
        return options.nodeId();
    }

    /** The bound WebSocket port (useful when the options asked for 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The bound server API port, or -1 when the API is off. */
    public int apiPort() {
        return api == null ? -1 : api.localAddress().getPort();
    }

    public Hub hub() {
        return hub;
    }

    public Broker broker() {
        return broker;
    }

    public Transport transport() {
        return transport;
    }

    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    public EdgeMetrics metrics() {
        return metrics;
    }

    /** What the node's registry heartbeat tells the fleet status page (broker, busiest channels, last disconnects). */
    public NodeStatus status() {
        return new NodeStatus(hub, broker, metrics.latencies());
    }

    /**
     * Starts draining: new upgrades are refused with 503, and the sessions here are
     * told to reconnect elsewhere in batches spread over {@code window}. Returns the
     * number of sessions to move; {@link #drained()} completes when none is left or
     * at the shutdown timeout after the window.
     */
    @Override
    public int drain(Duration window) {
        return drainer.start(window, window.plus(options.shutdownTimeout()));
    }

    @Override
    public boolean isDraining() {
        return drainer.isDraining();
    }

    /** Completes when a drain has emptied the node (or reached its deadline). */
    public java.util.concurrent.CompletableFuture<Void> drained() {
        return drainer.drained();
    }

    /** Graceful shutdown within the options' shutdown timeout. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        http.closeConnectionsAfterAnswer(); // HTTP connections not yet upgraded end with their current answer
        serverChannel.close().syncUninterruptibly();
        if (api != null) {
            api.close();
            apiGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        int maxDelay = (int) Math.min(Integer.MAX_VALUE, Math.max(1000, options.shutdownTimeout().toMillis()));
        for (LoopHub lh : hub.loops()) {
            lh.loop().execute(() -> {
                for (Session s : lh.sessions()) {
                    // Spread reconnects so that a restarting node does not cause a thundering herd elsewhere.
                    s.disconnect(DisconnectCode.SHUTDOWN, "server shutting down", ThreadLocalRandom.current().nextInt(maxDelay));
                }
            });
        }
        long deadline = System.nanoTime() + options.shutdownTimeout().toNanos();
        while (hub.sessionCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (hub.sessionCount() > 0) {
            log.warn("edge {}: {} sessions still open at the shutdown deadline; closing them", options.nodeId(), hub.sessionCount());
        }
        presence.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (ownsBroker) {
            broker.close();
        }
        log.info("edge {} stopped", options.nodeId());
    }

    /** Resources and collaborators of a node; everything but the token verifier is optional. */
    public static final class Builder {
        private final EdgeServerOptions options;
        private TokenVerifier verifier;
        private ApiKeys apiKeys;
        private Broker broker;
        private ChatBackend chat = ChatBackend.NONE;
        private MeterRegistry meterRegistry;
        private Router extraRoutes;
        private Function<Throwable, HttpError> extraErrors;
        private PresenceStore presenceStore;
        private io.netty.handler.ssl.SslContext ssl;

        private Builder(EdgeServerOptions options) {
            this.options = Objects.requireNonNull(options, "options");
        }

        public Builder tokenVerifier(TokenVerifier v) { verifier = v; return this; }
        /** Keys of the server API; without them the API port stays closed. */
        public Builder apiKeys(ApiKeys v) { apiKeys = v; return this; }
        /** The broker to fan out through; by default an in-memory broker owned by the server. */
        public Builder broker(Broker v) { broker = v; return this; }
        public Builder chatBackend(ChatBackend v) { chat = Objects.requireNonNull(v); return this; }
        public Builder meterRegistry(MeterRegistry v) { meterRegistry = v; return this; }
        /** Where presence leases live (Redis for a fleet); by default in memory (one node). Closed by the server. */
        public Builder presenceStore(PresenceStore v) { presenceStore = v; return this; }
        /** TLS on the public port (wss://); see {@link dev.switchboard.edge.pipeline.Tls}. */
        public Builder ssl(io.netty.handler.ssl.SslContext v) { ssl = v; return this; }

        /**
         * More routes on the public port, after {@code /ws} and {@code /healthz} (dev mode serves the REST API and
         * the web client there), with the mapping of their own failures to answers ({@code errors} may be null).
         */
        public Builder extraRoutes(Router routes, Function<Throwable, HttpError> errors) {
            extraRoutes = routes;
            extraErrors = errors;
            return this;
        }

        /**
         * Starts the node. A start that fails (a port in use, a transport the kernel refuses) stops the event loops
         * it made before it throws: a caller that retries, or a test that expects the failure, leaks no threads or
         * io_uring rings.
         */
        public EdgeServer start() throws InterruptedException {
            Objects.requireNonNull(verifier, "tokenVerifier");
            Transport transport = Transport.select(options.transport());
            EventLoopGroup group = transport.newGroup(options.effectiveIoThreads(), new DefaultThreadFactory("edge-" + options.nodeId()));
            EventLoopGroup apiGroup = null;
            try {
                if (options.apiEnabled() && apiKeys != null) {
                    apiGroup = transport.newSidePortGroup(new DefaultThreadFactory("edge-api-" + options.nodeId()));
                }
                return new EdgeServer(this, transport, group, apiGroup);
            } catch (Exception e) { // also a failed bind: an IOException that Netty's sync() throws undeclared
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                if (apiGroup != null) {
                    apiGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                }
                throw e;
            }
        }
    }
}
