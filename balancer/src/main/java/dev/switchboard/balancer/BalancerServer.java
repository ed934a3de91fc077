package dev.switchboard.balancer;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One balancer instance: an HTTP port that tells clients which edge node to
 * connect to, and the registry reader behind it. Stateless apart from Redis, so
 * that any number of instances can run behind one name and agree (docs/balancer.md).
 * Built with {@link #builder}, stopped by {@link #close}.
 */
public final class BalancerServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BalancerServer.class);

    private final BalancerOptions options;
    private final EventLoopGroup group;
    private final NodeRegistry registry;
    private final Channel channel;

    private BalancerServer(Builder b) throws InterruptedException {
        this.options = b.options;
        this.registry = NodeRegistry.start(b.redisUri, options.registry(), options.refreshInterval());
        this.group = new MultiThreadIoEventLoopGroup(options.ioThreads(), new DefaultThreadFactory("balancer"),
                NioIoHandler.newFactory());
        BalancerHandler handler = new BalancerHandler(options, b.verifier, b.apiKeys, registry, b.meters);
        try {
            this.channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(options.maxRequestBytes()), handler);
                        }
                    })
                    .bind(new InetSocketAddress(options.host(), options.port())).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            registry.close();
            throw e;
        }
        log.info("balancer listening on {} ({})", channel.localAddress(), options);
    }

    public static Builder builder(BalancerOptions options) {
        return new Builder(options);
    }

    public BalancerOptions options() {
        return options;
    }

    /** The bound port (useful when the options asked for 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The registry view this instance places from. */
    public NodeRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        registry.close();
        log.info("balancer stopped");
    }

    /** The resources of an instance: the token verifier and Redis are required, API keys optional. */
    public static final class Builder {
        private final BalancerOptions options;
        private TokenVerifier verifier;
        private ApiKeys apiKeys;
        private String redisUri;
        private MeterRegistry meters = new SimpleMeterRegistry();

        private Builder(BalancerOptions options) {
            this.options = Objects.requireNonNull(options, "options");
        }

        public Builder tokenVerifier(TokenVerifier v) { verifier = v; return this; }
        /** Keys for {@code GET /v1/nodes}; without them that endpoint always answers 401. */
        public Builder apiKeys(ApiKeys v) { apiKeys = v; return this; }
        /** Where the balancer's meters go; a {@code PrometheusMeterRegistry} also serves {@code GET /metrics}. */
        public Builder meterRegistry(MeterRegistry v) { meters = Objects.requireNonNull(v, "meterRegistry"); return this; }
        /** The Redis of the node registry ({@code redis://host:port}; of a list, the first). */
        public Builder redis(String uri) { redisUri = uri; return this; }

        /** Connects to Redis and binds the port (blocking; call at start-up). */
        public BalancerServer start() throws InterruptedException {
            Objects.requireNonNull(verifier, "tokenVerifier");
            Objects.requireNonNull(redisUri, "redis");
            return new BalancerServer(this);
        }
    }
}
