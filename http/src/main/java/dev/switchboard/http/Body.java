package dev.switchboard.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What body a route takes, checked before any of it is read: none (a request
 * that declares one gets 413), a buffered body up to a limit (JSON; the handler
 * runs once it is complete), or a streamed body up to a limit (uploads; the
 * handler runs at once and reads the body as it arrives, with backpressure:
 * the socket is read only as fast as the handler consumes).
 */
public final class Body {
    enum Kind { NONE, BUFFERED, STREAMED }

    private static final Body NONE = new Body(Kind.NONE, 0, null);
    private static final Body DEFAULT = new Body(Kind.BUFFERED, -1, null);

    private final Kind kind;
    private final long maxBytes;
    private final Duration timeout;

    private Body(Kind kind, long maxBytes, Duration timeout) {
        this.kind = kind;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    /** No body: GET, DELETE and the like. */
    public static Body none() {
        return NONE;
    }

    /** A buffered body up to the server's {@link HttpServerOptions#maxBodyBytes()}. */
    public static Body buffered() {
        return DEFAULT;
    }

    /** A buffered body up to {@code maxBytes}. */
    public static Body buffered(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0");
        }
        return new Body(Kind.BUFFERED, maxBytes, null);
    }

    /**
     * A streamed body of a declared {@code Content-Length} up to {@code maxBytes}
     * (411 without one), which must arrive within {@code timeout} of the head.
     */
    public static Body streamed(long maxBytes, Duration timeout) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        return new Body(Kind.STREAMED, maxBytes, timeout);
    }

    Kind kind() {
        return kind;
    }

    /** The limit, with the server's default for {@link #buffered()}. */
    long maxBytes(HttpServerOptions options) {
        return maxBytes < 0 ? options.maxBodyBytes() : maxBytes;
    }

    Duration timeout(HttpServerOptions options) {
        return timeout == null ? options.bodyTimeout() : timeout;
    }
}
