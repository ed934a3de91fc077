package dev.switchboard.edge.pipeline;

import dev.switchboard.auth.Claims;
import dev.switchboard.auth.TokenException;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.session.Session;
import dev.switchboard.edge.session.SessionShared;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Upgrades {@code GET /ws} to a WebSocket for a client with a valid token, in
 * one shared handler (docs/performance.md #1). The token comes from
 * {@code Authorization: Bearer} or the {@code token} query parameter (browsers
 * cannot set headers on a WebSocket). A missing, expired or forged token gets
 * HTTP 401 before any upgrade.
 *
 * <p>The 101 is written here (RFC 6455 §4.2.2) rather than by Netty's
 * handshaker, which would add its frame decoder and encoder: as soon as the
 * response is encoded every HTTP handler and the timeout go, and the
 * {@link Session}, which reads frames itself, is the only handler left. Server
 * frames are built as raw bytes, so no encoder is needed either.
 */
@ChannelHandler.Sharable
final class WebSocketUpgradeHandler extends ChannelInboundHandlerAdapter {
    static final String PATH = "/ws";
    private static final List<String> HTTP_STAGE = List.of(
            EdgeChannelInitializer.HANDSHAKE_TIMEOUT, EdgeChannelInitializer.HTTP_CODEC, EdgeChannelInitializer.HTTP_AGGREGATOR,
            EdgeChannelInitializer.UPGRADE, EdgeChannelInitializer.EXTRA_HTTP, EdgeChannelInitializer.FALLBACK);
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final TokenVerifier verifier;
    private final Hub hub;
    private final SessionShared shared;
    private final EdgeMetrics metrics;
    private final AtomicLong sessionIds = new AtomicLong();
    private final OrgNames orgs = new OrgNames();
    private final BooleanSupplier draining;

    private final ConnectionLimits limits;
    private final ConnectRateLimiter connectRate;
    private final List<String> allowedOrigins;

    WebSocketUpgradeHandler(TokenVerifier verifier, Hub hub, SessionShared shared, EdgeMetrics metrics, int maxMessageBytes,
                            BooleanSupplier draining, ConnectionLimits limits, ConnectRateLimiter connectRate,
                            List<String> allowedOrigins) {
        this.draining = draining;
        this.limits = limits;
        this.connectRate = connectRate;
        this.allowedOrigins = allowedOrigins;
        this.verifier = verifier;
        this.hub = hub;
        this.shared = shared;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req) || !PATH.equals(new QueryStringDecoder(req.uri()).path())) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            upgrade(ctx, req);
        } finally {
            ReferenceCountUtil.release(req);
        }
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            refuse(ctx, req, HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed HTTP request");
            return;
        }
        if (!HttpMethod.GET.equals(req.method())) {
            refuse(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "use GET to upgrade");
            return;
        }
        if (!"websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))) {
            refuse(ctx, req, HttpResponseStatus.UPGRADE_REQUIRED, "upgrade_required", "expected a WebSocket upgrade");
            return;
        }
        if (draining.getAsBoolean()) {
            refuse(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "draining", "node draining: ask the balancer for another node");
            return;
        }
        String ip = ip(ctx);
        if (!connectRate.tryAcquire(ip)) {
            refuse(ctx, req, HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited", "too many new connections from " + ip + ": retry later");
            return;
        }
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !allowedOrigins.isEmpty() && !allowedOrigins.contains(origin)) {
            refuse(ctx, req, HttpResponseStatus.FORBIDDEN, "origin_not_allowed", "origin not allowed: " + origin);
            return;
        }
        Claims claims;
        try {
            claims = verifier.verify(token(req));
        } catch (TokenException e) {
            refuse(ctx, req, HttpResponseStatus.UNAUTHORIZED, "unauthorized", e.getMessage());
            return;
        }
        String org = orgs.intern(claims.orgId());
        String refusedBy = limits.tryAcquire(org, claims.userId(), ip);
        if (refusedBy != null) {
            refuse(ctx, req, HttpResponseStatus.TOO_MANY_REQUESTS, "connection_limit",
                    "too many connections for this " + (refusedBy.equals("org") ? "organisation" : refusedBy) + " on this node");
            return;
        }
        String key = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (key == null || !"13".equals(req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            metrics.rejectedHandshake();
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        Session session = new Session(sessionIds.incrementAndGet(), claims.userId(),
                org, claims.expiresAtMs(),
                hub.loopHub(ctx.channel().eventLoop()), shared);
        ChannelPipeline p = ctx.pipeline();
        p.addLast(EdgeChannelInitializer.SESSION, session);
        // The 101 goes through the HTTP encoder now (we are on the channel's loop), so the HTTP stage can go at
        // once: the client sends its first frame only after reading the 101, and it reaches the session as bytes.
        ctx.writeAndFlush(switchingProtocols(key)).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
            }
        });
        for (String name : HTTP_STAGE) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }

    private static FullHttpResponse switchingProtocols(String key) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS,
                Unpooled.EMPTY_BUFFER);
        res.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                .set(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, accept(key));
        return res;
    }

    /** Base64 of the SHA-1 of the key and the protocol's GUID (RFC 6455 §1.3). */
    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key.trim() + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String code, String message) {
        metrics.rejectedHandshake();
        HttpResponses.error(ctx, req, status, code, message);
    }

    /** The client's address (the connection's peer; a proxy in front would need the PROXY protocol). */
    static String ip(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
    }

    private static String token(FullHttpRequest req) {
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        List<String> values = new QueryStringDecoder(req.uri()).parameters().get("token");
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
