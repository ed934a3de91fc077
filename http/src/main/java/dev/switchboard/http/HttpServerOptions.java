package dev.switchboard.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of one HTTP surface: how large a request head and a buffered body
 * may be, how long a client may take to send them, how long an idle keep-alive
 * connection stays open, how many connections are served at once and how many
 * pipelined requests wait behind the one being answered. Immutable; build with
 * {@link #builder()}; every default is a {@code DEFAULT_*} constant and is listed
 * in docs/security.md with the answer a client gets past it.
 */
public final class HttpServerOptions {
    /** Longest request line (method, URI, version): 414 beyond it. */
    public static final int DEFAULT_MAX_INITIAL_LINE_BYTES = 4096;
    /** All header lines together: 431 beyond it. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 8192;
    /** A buffered (JSON) body, unless the route sets its own limit: 413 beyond it, before it is read when declared. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    /** From the connection's first byte (or its opening) to the end of the request head: 408 and close after it. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** From the end of the head to the end of a buffered body: 408 and close after it. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);
    /** A keep-alive connection with no request, or a response the client does not read: closed after it. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Connections served at once; the next one gets 503 and is closed. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Requests that may wait, already read, behind the one being answered; the connection closes after more. */
    public static final int DEFAULT_MAX_PIPELINED = 16;

    private final int maxInitialLineBytes;
    private final int maxHeaderBytes;
    private final int maxBodyBytes;
    private final Duration headerTimeout;
    private final Duration bodyTimeout;
    private final Duration idleTimeout;
    private final int maxConnections;
    private final int maxPipelined;

    private HttpServerOptions(Builder b) {
        this.maxInitialLineBytes = atLeast(b.maxInitialLineBytes, 256, "maxInitialLineBytes");
        this.maxHeaderBytes = atLeast(b.maxHeaderBytes, 1024, "maxHeaderBytes");
        this.maxBodyBytes = atLeast(b.maxBodyBytes, 0, "maxBodyBytes");
        this.headerTimeout = positive(b.headerTimeout, "headerTimeout");
        this.bodyTimeout = positive(b.bodyTimeout, "bodyTimeout");
        this.idleTimeout = positive(b.idleTimeout, "idleTimeout");
        this.maxConnections = atLeast(b.maxConnections, 1, "maxConnections");
        this.maxPipelined = atLeast(b.maxPipelined, 1, "maxPipelined");
    }

    public static Builder builder() {
        return new Builder();
    }

    public static HttpServerOptions defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        return new Builder().maxInitialLineBytes(maxInitialLineBytes).maxHeaderBytes(maxHeaderBytes)
                .maxBodyBytes(maxBodyBytes).headerTimeout(headerTimeout).bodyTimeout(bodyTimeout)
                .idleTimeout(idleTimeout).maxConnections(maxConnections).maxPipelined(maxPipelined);
    }

    public int maxInitialLineBytes() {
        return maxInitialLineBytes;
    }

    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public Duration headerTimeout() {
        return headerTimeout;
    }

    public Duration bodyTimeout() {
        return bodyTimeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxPipelined() {
        return maxPipelined;
    }

    @Override
    public String toString() {
        return "HttpServerOptions{maxInitialLineBytes=" + maxInitialLineBytes + ", maxHeaderBytes=" + maxHeaderBytes
                + ", maxBodyBytes=" + maxBodyBytes + ", headerTimeout=" + headerTimeout + ", bodyTimeout=" + bodyTimeout
                + ", idleTimeout=" + idleTimeout + ", maxConnections=" + maxConnections + ", maxPipelined=" + maxPipelined + "}";
    }

    private static int atLeast(int v, int min, String name) {
        if (v < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + v);
        }
        return v;
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    /** Collects the options; unset values keep their defaults. */
    public static final class Builder {
        private int maxInitialLineBytes = DEFAULT_MAX_INITIAL_LINE_BYTES;
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
        private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxPipelined = DEFAULT_MAX_PIPELINED;

        private Builder() {
        }

        public Builder maxInitialLineBytes(int v) {
            maxInitialLineBytes = v;
            return this;
        }

        public Builder maxHeaderBytes(int v) {
            maxHeaderBytes = v;
            return this;
        }

        public Builder maxBodyBytes(int v) {
            maxBodyBytes = v;
            return this;
        }

        public Builder headerTimeout(Duration v) {
            headerTimeout = v;
            return this;
        }

        public Builder bodyTimeout(Duration v) {
            bodyTimeout = v;
            return this;
        }

        public Builder idleTimeout(Duration v) {
            idleTimeout = v;
            return this;
        }

        public Builder maxConnections(int v) {
            maxConnections = v;
            return this;
        }

        public Builder maxPipelined(int v) {
            maxPipelined = v;
            return this;
        }

        public HttpServerOptions build() {
            return new HttpServerOptions(this);
        }
    }
}
