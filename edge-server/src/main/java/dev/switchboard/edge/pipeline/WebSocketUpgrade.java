package dev.switchboard.edge.pipeline;

import dev.switchboard.auth.Claims;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.session.Session;
import dev.switchboard.edge.session.SessionShared;
import dev.switchboard.http.Credentials;
import dev.switchboard.http.Handler;
import dev.switchboard.http.HttpError;
import dev.switchboard.http.HttpExchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The {@code GET /ws} route of the public port: upgrades to a WebSocket for a
 * client with a valid token, one shared handler for every connection
 * (docs/performance.md #1). The token comes from {@code Authorization: Bearer} or
 * the {@code token} query parameter (browsers cannot set headers on a WebSocket).
 * A refusal (draining, rate, origin, token, connection limits, a bad handshake)
 * is an ordinary answer of the shared HTTP layer, in its error envelope.
 *
 * <p>The 101 is written here (RFC 6455 §4.2.2) rather than by Netty's handshaker,
 * which would add its frame decoder and encoder, and as bytes ({@link SwitchingProtocols}):
 * {@code switchProtocols} writes it below the codec and removes the whole HTTP stage,
 * and the {@link Session}, which reads frames itself, is the only handler left
 * (ADR 0002's lean pipeline).
 * Server frames are built as raw bytes, so no encoder is needed either.
 */
final class WebSocketUpgrade implements Handler {
    static final String PATH = "/ws";
    static final String DRAINING = "DRAINING";
    static final String RATE_LIMITED = "RATE_LIMITED";
    static final String ORIGIN_NOT_ALLOWED = "ORIGIN_NOT_ALLOWED";
    static final String CONNECTION_LIMIT = "CONNECTION_LIMIT";
    static final String UPGRADE_REQUIRED = "UPGRADE_REQUIRED";

    private final TokenVerifier verifier;
    private final Hub hub;
    private final SessionShared shared;
    private final EdgeMetrics metrics;
    private final AtomicLong sessionIds = new AtomicLong();
    private final OrgNames orgs = new OrgNames();
    /** The 101's encoder of each event loop, reused: upgrades of a loop run one at a time on it. */
    private final ThreadLocal<SwitchingProtocols> switching = ThreadLocal.withInitial(SwitchingProtocols::new);
    private final BooleanSupplier draining;

    private final ConnectionLimits limits;
    private final ConnectRateLimiter connectRate;
    private final List<String> allowedOrigins;

    WebSocketUpgrade(TokenVerifier verifier, Hub hub, SessionShared shared, EdgeMetrics metrics,
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
    public void handle(HttpExchange ex) {
        long start = System.nanoTime();
        HttpRequest req = ex.request();
        if (!"websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))) {
            throw refuse(HttpResponseStatus.UPGRADE_REQUIRED, UPGRADE_REQUIRED, "expected a WebSocket upgrade");
        }
        if (draining.getAsBoolean()) {
            throw refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, DRAINING, "node draining: ask the balancer for another node")
                    .retryAfter(1);
        }
        String ip = ClientAddress.key(ex.channel());
        if (!connectRate.tryAcquire(ip)) {
            throw refuse(HttpResponseStatus.TOO_MANY_REQUESTS, RATE_LIMITED, "too many new connections from " + ip + ": retry later")
                    .retryAfter(1);
        }
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !allowedOrigins.isEmpty() && !allowedOrigins.contains(origin)) {
            throw refuse(HttpResponseStatus.FORBIDDEN, ORIGIN_NOT_ALLOWED, "origin not allowed: " + origin);
        }
        Claims claims;
        try {
            claims = Credentials.verifyBearer(verifier, req); // the token checked in place, not copied
            if (claims == null) {
                claims = Credentials.verify(verifier, ex.queryParam("token"));
            }
        } catch (HttpError e) {
            metrics.rejectedHandshake();
            throw e;
        }
        String key = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (key == null || !"13".equals(req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            HttpError e = refuse(HttpResponseStatus.UPGRADE_REQUIRED, UPGRADE_REQUIRED,
                    "a WebSocket handshake of version 13 with a Sec-WebSocket-Key is required");
            ex.respond(e.toResponse().header(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13"));
            return;
        }
        String org = orgs.intern(claims.orgId());
        String refusedBy = limits.tryAcquire(org, claims.userId(), ip);
        if (refusedBy != null) {
            throw refuse(HttpResponseStatus.TOO_MANY_REQUESTS, CONNECTION_LIMIT,
                    "too many connections for this " + (refusedBy.equals("org") ? "organisation" : refusedBy) + " on this node");
        }
        Session session = new Session(sessionIds.incrementAndGet(), claims.userId(),
                org, claims.expiresAtMs(),
                hub.loopHub(ex.channel().eventLoop()), shared);
        // The client sends its first frame only after reading the 101; bytes the codec still holds reach the session.
        ex.switchProtocols(switching.get().response(ex.channel().alloc(), key), EdgeChannelInitializer.SESSION, session);
        metrics.latencies().handshake(start);
    }

    /** Base64 of the SHA-1 of the key and the protocol's GUID (RFC 6455 §1.3). */
    static String accept(String key) {
        return new SwitchingProtocols().accept(key);
    }

    private HttpError refuse(HttpResponseStatus status, String code, String message) {
        metrics.rejectedHandshake();
        return HttpError.of(status, code, message);
    }
}
