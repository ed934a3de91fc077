package dev.switchboard.message;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.bridge.Broker;
import dev.switchboard.http.HttpServer;
import dev.switchboard.http.HttpServerPipeline;
import dev.switchboard.http.Router;
import dev.switchboard.message.http.ChatApi;
import dev.switchboard.message.http.OperationsRoutes;
import dev.switchboard.message.http.RequestAuthenticator;
import dev.switchboard.message.presence.OnlineUsers;
import dev.switchboard.message.store.DatabaseProbe;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message-service as its own process: the REST API (and {@code /healthz},
 * {@code /metrics}) on one port of the shared HTTP layer over the chat database, publishing committed messages through the given broker.
 * {@code bin/switchboard messages --port P --db JDBC_URL --redis URI} builds the
 * options and the broker and calls {@link #start}.
 *
 * <pre>{@code
 * MessageServer server = MessageServer.start(MessageServerOptions.builder()
 *         .port(8081).database(DatabaseOptions.builder().jdbcUrl(url).build()).build(),
 *     broker, tokenVerifier, apiKeys, meterRegistry);
 * ...
 * server.close(); // stops accepting, then the workers, then the pool; the broker stays open
 * }</pre>
 */
public final class MessageServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MessageServer.class);

    private final MessageServiceResources resources;
    private final EventLoopGroup group;
    private final HttpServer http;

    private MessageServer(MessageServiceResources resources, EventLoopGroup group, HttpServer http) {
        this.resources = resources;
        this.group = group;
        this.http = http;
    }

    /**
     * Opens the database (migrating it), starts the workers and binds; fails if any
     * of that fails. With push enabled, nobody counts as online (see the overload).
     */
    public static MessageServer start(MessageServerOptions options, Broker broker, TokenVerifier tokens,
                                      ApiKeys apiKeys, MeterRegistry registry) throws InterruptedException {
        return start(options, broker, OnlineUsers.NONE, tokens, apiKeys, registry);
    }

    /** As the other overload; offline push skips the members that {@code online} reports live. */
    public static MessageServer start(MessageServerOptions options, Broker broker, OnlineUsers online,
                                      TokenVerifier tokens, ApiKeys apiKeys, MeterRegistry registry)
            throws InterruptedException {
        MessageServiceResources resources = MessageServiceResources.builder(options.database(), broker, registry)
                .messages(options.messages()).chat(options.chat()).push(options.push()).media(options.media())
                .onlineUsers(online).open();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(options.ioThreads(),
                new DefaultThreadFactory("switchboard-messages-io"), NioIoHandler.newFactory());
        try {
            Router routes = Router.builder()
                    .include(new ChatApi(resources.chat(), resources.media(), new RequestAuthenticator(tokens, apiKeys),
                            options.http().maxBodyBytes()).router())
                    .include(new OperationsRoutes(registry, new DatabaseProbe(resources.database().dataSource(),
                            options.database().connectionTimeout().plusSeconds(1)),
                            () -> resources.store().messages().backendUnavailable()).router())
                    .build();
            HttpServer http = HttpServer.start(group, NioServerSocketChannel.class, options.host(), options.port(),
                    HttpServerPipeline.of(options.http(), routes).mapErrors(ChatApi.errors()));
            log.info("message-service listening on {} ({}, broker {})", http.localAddress(), options, broker.describe());
            return new MessageServer(resources, group, http);
        } catch (Exception e) { // also a failed bind: an IOException that Netty's sync() throws undeclared
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            resources.close();
            throw e;
        }
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return http.port();
    }

    /** The Java API of the running service (for in-process callers and tests). */
    public ChatService chatService() {
        return resources.chat();
    }

    @Override
    public void close() {
        http.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        resources.close();
    }
}
