package dev.switchboard.edge.pipeline;

import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.session.SessionShared;
import dev.switchboard.http.Authenticator;
import dev.switchboard.http.HttpError;
import dev.switchboard.http.HttpServerOptions;
import dev.switchboard.http.HttpServerPipeline;
import dev.switchboard.http.Response;
import dev.switchboard.http.Router;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The public port's pipeline. Until the upgrade: TLS (if any) and the shared
 * HTTP layer's stage (ADR 0009: connection limit, header and idle timeouts, one
 * request at a time) serving {@code GET /ws} (the upgrade), {@code GET /healthz}
 * and any routes added (dev mode's REST API and web client). After it: TLS and
 * the session, nothing else (ADR 0002).
 */
@ChannelHandler.Sharable
public final class EdgeChannelInitializer extends ChannelInitializer<SocketChannel> {
    static final String SESSION = "session";

    private final HttpServerPipeline http;
    private final SslContext ssl;

    /** {@code extraRoutes} (may be null) come after the edge's own; {@code extraErrors} maps their failures. */
    public EdgeChannelInitializer(TokenVerifier verifier, Hub hub, SessionShared shared, EdgeMetrics metrics,
                                  HttpServerOptions options, Router extraRoutes, Function<Throwable, HttpError> extraErrors,
                                  BooleanSupplier draining, ConnectionLimits limits, ConnectRateLimiter connectRate,
                                  List<String> allowedOrigins, SslContext ssl) {
        this.ssl = ssl;
        WebSocketUpgrade upgrade = new WebSocketUpgrade(verifier, hub, shared, metrics, draining, limits, connectRate,
                allowedOrigins);
        Router.Builder routes = Router.builder()
                .get(WebSocketUpgrade.PATH, Authenticator.NONE, upgrade)
                .get("/healthz", Authenticator.NONE, ex -> ex.respond(Response.ok(Map.of("status", "ok"))));
        if (extraRoutes != null) {
            routes.include(extraRoutes);
        }
        HttpServerPipeline p = HttpServerPipeline.of(options, routes.build());
        this.http = extraErrors == null ? p : p.mapErrors(extraErrors);
    }

    /** The public port's HTTP surface (its open connections, its shutdown). */
    public HttpServerPipeline http() {
        return http;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            // TLS stays for the life of the connection (the session's frames are encrypted too).
            p.addLast("tls", ssl.newHandler(ch.alloc()));
        }
        http.install(p);
    }
}
