package dev.switchboard.edge.api;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.bridge.Broker;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.session.ChatBackend;
import dev.switchboard.edge.transport.Transport;
import dev.switchboard.http.HttpServer;
import dev.switchboard.http.HttpServerPipeline;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;

/**
 * The server API port of an edge node: HTTP/JSON (and protobuf for publishes)
 * for backend services that push realtime events without holding WebSockets,
 * served by the shared HTTP layer ({@link ServerApiRoutes}, ADR 0009) on an event
 * loop of its own ({@link dev.switchboard.edge.transport.Transport#newSidePortGroup}):
 * a Prometheus scrape takes milliseconds of CPU (5.7 ms median on 2 vCPU, 68 ms
 * cold), which on a WebSocket loop held up every delivery of the node meanwhile.
 * What it hands to sessions goes to their loops as tasks (the hub's hand-over).
 */
public final class ServerApi implements AutoCloseable {
    private final HttpServer http;

    private ServerApi(HttpServer http) {
        this.http = http;
    }

    public static ServerApi start(EventLoopGroup group, Transport transport, EdgeServerOptions options, ApiKeys keys,
                                  Broker broker, Hub hub, ChatBackend chat, EdgeMetrics metrics, DrainControl drain)
            throws InterruptedException {
        ServerApiRoutes routes = new ServerApiRoutes(options, keys, broker, hub, chat, metrics, drain);
        return new ServerApi(HttpServer.start(group, transport.serverChannelClass(), options.apiHost(), options.apiPort(),
                HttpServerPipeline.of(options.apiHttp(), routes.router())));
    }

    public InetSocketAddress localAddress() {
        return http.localAddress();
    }

    @Override
    public void close() {
        http.close();
    }
}
