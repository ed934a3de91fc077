package dev.switchboard.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.DoubleSupplier;

/**
 * Settings of a {@link SwitchboardClient}: immutable, validated, with defaults
 * ({@code DEFAULT_*}). The same defaults as the TypeScript SDK.
 */
public final class SwitchboardClientOptions {
    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(500);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(20);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_CONNECT_REPLY_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_QUEUED_PUBLISHES = 1000;
    public static final int DEFAULT_PUBLISH_ATTEMPTS = 5;
    public static final Duration DEFAULT_PUBLISH_RETRY_DELAY = Duration.ofMillis(500);
    public static final int DEFAULT_HISTORY_PAGE_SIZE = 200;

    private final Duration backoffBase;
    private final Duration backoffMax;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration connectReplyTimeout;
    private final Duration pingInterval;
    private final int maxQueuedPublishes;
    private final int publishAttempts;
    private final Duration publishRetryDelay;
    private final int historyPageSize;
    private final Executor callbackExecutor;
    private final DoubleSupplier random;

    private SwitchboardClientOptions(Builder b) {
        if (b.backoffBase.isNegative() || b.backoffMax.compareTo(b.backoffBase) < 0) {
            throw new IllegalArgumentException("backoff: 0 <= base <= max");
        }
        if (b.maxQueuedPublishes < 1 || b.publishAttempts < 1 || b.historyPageSize < 1 || b.historyPageSize > 200) {
            throw new IllegalArgumentException("maxQueuedPublishes, publishAttempts >= 1; historyPageSize in 1..200");
        }
        this.backoffBase = b.backoffBase;
        this.backoffMax = b.backoffMax;
        this.connectTimeout = Objects.requireNonNull(b.connectTimeout);
        this.requestTimeout = Objects.requireNonNull(b.requestTimeout);
        this.connectReplyTimeout = Objects.requireNonNull(b.connectReplyTimeout);
        this.pingInterval = b.pingInterval;
        this.maxQueuedPublishes = b.maxQueuedPublishes;
        this.publishAttempts = b.publishAttempts;
        this.publishRetryDelay = Objects.requireNonNull(b.publishRetryDelay);
        this.historyPageSize = b.historyPageSize;
        this.callbackExecutor = b.callbackExecutor != null ? b.callbackExecutor
                : task -> Thread.ofVirtual().name("switchboard-client-events").start(task);
        this.random = Objects.requireNonNull(b.random);
    }

    public static SwitchboardClientOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reconnect backoff: attempt n waits a random time up to min(max, base × 2^n). */
    public Duration backoffBase() { return backoffBase; }
    public Duration backoffMax() { return backoffMax; }
    /** TCP connect plus WebSocket handshake. */
    public Duration connectTimeout() { return connectTimeout; }
    /** How long a command waits for its reply (and for a connection). */
    public Duration requestTimeout() { return requestTimeout; }
    /**
     * How long the answer to {@code connect} may take. Long on purpose: a node under
     * load may take a while to load a session's memberships, and a client that gives
     * up early makes it start over (with every other client: a storm).
     */
    public Duration connectReplyTimeout() { return connectReplyTimeout; }
    /** Application pings that find a dead socket; null: none (the JVM sees the server's WebSocket pings anyway). */
    public Duration pingInterval() { return pingInterval; }
    public int maxQueuedPublishes() { return maxQueuedPublishes; }
    /** Attempts of a publish whose error is temporary before it fails. */
    public int publishAttempts() { return publishAttempts; }
    public Duration publishRetryDelay() { return publishRetryDelay; }
    /** Gap fills read history in pages of this size. */
    public int historyPageSize() { return historyPageSize; }
    /**
     * Where listener calls and future completions run, one at a time and in order
     * (the client serialises them). Default: virtual threads, so a listener may block.
     */
    public Executor callbackExecutor() { return callbackExecutor; }
    /** The jitter source (tests). */
    public DoubleSupplier random() { return random; }

    @Override
    public String toString() {
        return "SwitchboardClientOptions{backoff=" + backoffBase + ".." + backoffMax + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + ", pingInterval=" + pingInterval + ", maxQueuedPublishes=" + maxQueuedPublishes
                + ", publishAttempts=" + publishAttempts + ", historyPageSize=" + historyPageSize + "}";
    }

    public static final class Builder {
        private Duration backoffBase = DEFAULT_BACKOFF_BASE;
        private Duration backoffMax = DEFAULT_BACKOFF_MAX;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration connectReplyTimeout = DEFAULT_CONNECT_REPLY_TIMEOUT;
        private Duration pingInterval;
        private int maxQueuedPublishes = DEFAULT_MAX_QUEUED_PUBLISHES;
        private int publishAttempts = DEFAULT_PUBLISH_ATTEMPTS;
        private Duration publishRetryDelay = DEFAULT_PUBLISH_RETRY_DELAY;
        private int historyPageSize = DEFAULT_HISTORY_PAGE_SIZE;
        private Executor callbackExecutor;
        private DoubleSupplier random = Math::random;

        public Builder backoff(Duration base, Duration max) { backoffBase = base; backoffMax = max; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
        public Builder connectReplyTimeout(Duration v) { connectReplyTimeout = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder maxQueuedPublishes(int v) { maxQueuedPublishes = v; return this; }
        public Builder publishRetries(int attempts, Duration delay) { publishAttempts = attempts; publishRetryDelay = delay; return this; }
        public Builder historyPageSize(int v) { historyPageSize = v; return this; }
        public Builder callbackExecutor(Executor v) { callbackExecutor = v; return this; }
        public Builder random(DoubleSupplier v) { random = v; return this; }

        public SwitchboardClientOptions build() {
            return new SwitchboardClientOptions(this);
        }
    }
}
