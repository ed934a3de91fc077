package dev.switchboard.balancer;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.switchboard.http.HttpServer;
import dev.switchboard.http.HttpServerPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
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
    private final HttpServer http;

    private BalancerServer(Builder b) throws InterruptedException {
        this.options = b.options;
        this.registry = NodeRegistry.start(b.redisResources, b.redisUri, options.registry(), options.refreshInterval());
        this.group = new MultiThreadIoEventLoopGroup(options.ioThreads(), new DefaultThreadFactory("balancer"),
                NioIoHandler.newFactory());
        BalancerRoutes routes = new BalancerRoutes(options, registry, b.meters);
        try {
            this.http = HttpServer.start(group, NioServerSocketChannel.class, options.host(), options.port(),
                    HttpServerPipeline.of(options.http(), routes.router(b.verifier, b.apiKeys)));
        } catch (Exception e) { // also a failed bind: an IOException that Netty's sync() throws undeclared
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            registry.close();
            throw e;
        }
        log.info("balancer listening on {} ({})", http.localAddress(), options);
    }

    public static Builder builder(BalancerOptions options) {
        return new Builder(options);
    }

    public BalancerOptions options() {
        return options;
    }

    /** The bound port (useful when the options asked for 0). */
    public int port() {
        return http.port();
    }

    /** The registry view this instance places from. */
    public NodeRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        http.close();
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
        private dev.switchboard.bridge.redis.RedisResources redisResources;
        private MeterRegistry meters = new SimpleMeterRegistry();

        private Builder(BalancerOptions options) {
            this.options = Objects.requireNonNull(options, "options");
        }

        public Builder tokenVerifier(TokenVerifier v) { verifier = v; return this; }
        /** Keys for {@code GET /v1/nodes} (platform keys only); without them that endpoint always answers 401. */
        public Builder apiKeys(ApiKeys v) { apiKeys = v; return this; }
        /** Where the balancer's meters go; a {@code PrometheusMeterRegistry} also serves {@code GET /metrics}. */
        public Builder meterRegistry(MeterRegistry v) { meters = Objects.requireNonNull(v, "meterRegistry"); return this; }
        /** The Redis of the node registry ({@code redis://host:port}; of a list, the first). */
        public Builder redis(String uri) { redisUri = uri; return this; }
        /** The process's shared Lettuce resources (the caller closes them after the server); default: the registry's own. */
        public Builder redisResources(dev.switchboard.bridge.redis.RedisResources resources) { redisResources = resources; return this; }

        /** Connects to Redis and binds the port (blocking; call at start-up). */
        public BalancerServer start() throws InterruptedException {
            Objects.requireNonNull(verifier, "tokenVerifier");
            Objects.requireNonNull(redisUri, "redis");
            return new BalancerServer(this);
        }
    }
}
