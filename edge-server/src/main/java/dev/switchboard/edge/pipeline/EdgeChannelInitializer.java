package dev.switchboard.edge.pipeline;

import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.session.SessionShared;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The public port's pipeline. Until the upgrade: timeout, HTTP codec,
 * aggregator, the shared upgrade handler, optionally one more HTTP handler (the
 * message-service REST API in dev mode) and the fallback. After it: Netty's
 * WebSocket frame decoder and the session, nothing else.
 */
@ChannelHandler.Sharable
public final class EdgeChannelInitializer extends ChannelInitializer<SocketChannel> {
    static final String HANDSHAKE_TIMEOUT = "handshake-timeout";
    static final String HTTP_CODEC = "http-codec";
    static final String HTTP_AGGREGATOR = "http-aggregator";
    static final String UPGRADE = "upgrade";
    static final String EXTRA_HTTP = "extra-http";
    static final String FALLBACK = "fallback";
    static final String SESSION = "session";

    private final long handshakeTimeoutMillis;
    private final int maxHttpRequestBytes;
    private final WebSocketUpgradeHandler upgrade;
    private final ChannelHandler extraHttpHandler;
    private final io.netty.handler.ssl.SslContext ssl;

    public EdgeChannelInitializer(TokenVerifier verifier, Hub hub, SessionShared shared, EdgeMetrics metrics,
                                  int maxMessageBytes, int maxHttpRequestBytes, long handshakeTimeoutMillis,
                                  ChannelHandler extraHttpHandler, java.util.function.BooleanSupplier draining,
                                  ConnectionLimits limits, ConnectRateLimiter connectRate, java.util.List<String> allowedOrigins,
                                  io.netty.handler.ssl.SslContext ssl) {
        this.ssl = ssl;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.maxHttpRequestBytes = maxHttpRequestBytes;
        this.upgrade = new WebSocketUpgradeHandler(verifier, hub, shared, metrics, maxMessageBytes, draining,
                limits, connectRate, allowedOrigins);
        this.extraHttpHandler = extraHttpHandler;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            // TLS stays for the life of the connection (the session's frames are encrypted too).
            p.addLast("tls", ssl.newHandler(ch.alloc()));
        }
        p.addLast(HANDSHAKE_TIMEOUT, new HandshakeTimeout(handshakeTimeoutMillis));
        p.addLast(HTTP_CODEC, new HttpServerCodec());
        p.addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(maxHttpRequestBytes));
        p.addLast(UPGRADE, upgrade);
        if (extraHttpHandler != null) {
            p.addLast(EXTRA_HTTP, extraHttpHandler);
        }
        p.addLast(FALLBACK, HttpFallbackHandler.INSTANCE);
    }
}
