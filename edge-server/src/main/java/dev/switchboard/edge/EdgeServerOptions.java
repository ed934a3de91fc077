package dev.switchboard.edge;

import dev.switchboard.http.HttpServerOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * The values that configure one edge node: immutable, validated when built, and
 * printed at start. Resources with a lifecycle (event loops, broker, keys) are
 * passed to {@link EdgeServer} apart from these.
 */
public final class EdgeServerOptions {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_API_PORT = -1;
    public static final String DEFAULT_TRANSPORT = "auto";
    public static final int DEFAULT_IO_THREADS = 0;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 32 * 1024;
    public static final int DEFAULT_MAX_FRAMES_PER_MESSAGE = 100;
    public static final int DEFAULT_MAX_CHANNELS_PER_SESSION = 1000;
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(25);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_WRITE_BUFFER_LOW = 32 * 1024;
    public static final int DEFAULT_WRITE_BUFFER_HIGH = 64 * 1024;
    public static final int DEFAULT_MAX_OUTBOUND_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_SLOW_CONSUMER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(2);
    public static final Duration DEFAULT_INTEREST_LINGER = Duration.ofSeconds(2);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_API_BODY_BYTES = 1024 * 1024;
    /**
     * HTTP limits of the public port before the upgrade ({@code /ws}, {@code /healthz}; in dev mode the REST API and
     * web client): the edge's own routes take no body (one declared is 413), routes added to it may set their own
     * body limits. The header timeout bounds how long a connection may take to ask for its upgrade.
     */
    public static final HttpServerOptions DEFAULT_HTTP = HttpServerOptions.defaults();
    /** HTTP limits of the server API port; its bodies are limited by {@link #maxApiBodyBytes()}. */
    public static final HttpServerOptions DEFAULT_API_HTTP = HttpServerOptions.defaults();
    public static final int DEFAULT_COMMAND_RATE = 200;
    public static final int DEFAULT_COMMAND_BURST = 400;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 100;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 0;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ORG = 0;
    public static final int DEFAULT_CONNECT_RATE_PER_IP = 0;
    /** A dead node's users are offline at most this long after it stopped renewing their leases. */
    public static final Duration DEFAULT_PRESENCE_TTL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_PRESENCE_RENEW = Duration.ofSeconds(10);

    private final String host;
    private final int port;
    private final String apiHost;
    private final int apiPort;
    private final String nodeId;
    private final String transport;
    private final int ioThreads;
    private final int maxMessageBytes;
    private final int maxPayloadBytes;
    private final int maxFramesPerMessage;
    private final int maxChannelsPerSession;
    private final Duration heartbeatInterval;
    private final Duration idleTimeout;
    private final Duration connectTimeout;
    private final int writeBufferLow;
    private final int writeBufferHigh;
    private final int maxOutboundBytes;
    private final Duration slowConsumerTimeout;
    private final Duration closeGrace;
    private final Duration interestLinger;
    private final Duration shutdownTimeout;
    private final int maxApiBodyBytes;
    private final HttpServerOptions http;
    private final HttpServerOptions apiHttp;
    private final Duration presenceTtl;
    private final Duration presenceRenew;
    private final int commandRate;
    private final int commandBurst;
    private final int maxConnectionsPerUser;
    private final int maxConnectionsPerIp;
    private final int maxConnectionsPerOrg;
    private final int connectRatePerIp;
    private final java.util.List<String> allowedOrigins;

    private EdgeServerOptions(Builder b) {
        this.host = Objects.requireNonNull(b.host, "host");
        this.port = checkPort(b.port, "port");
        this.apiHost = b.apiHost == null ? b.host : b.apiHost;
        this.apiPort = checkPort(b.apiPort, "apiPort");
        this.nodeId = requireId(b.nodeId);
        this.transport = checkTransport(b.transport);
        this.ioThreads = atLeast(b.ioThreads, 0, "ioThreads");
        this.maxMessageBytes = atLeast(b.maxMessageBytes, 128, "maxMessageBytes");
        this.maxPayloadBytes = atLeast(b.maxPayloadBytes, 1, "maxPayloadBytes");
        if (maxPayloadBytes > maxMessageBytes) {
            throw new IllegalArgumentException("maxPayloadBytes (" + maxPayloadBytes + ") must not exceed maxMessageBytes (" + maxMessageBytes + ")");
        }
        this.maxFramesPerMessage = atLeast(b.maxFramesPerMessage, 1, "maxFramesPerMessage");
        this.maxChannelsPerSession = atLeast(b.maxChannelsPerSession, 1, "maxChannelsPerSession");
        this.heartbeatInterval = positive(b.heartbeatInterval, "heartbeatInterval");
        this.idleTimeout = positive(b.idleTimeout, "idleTimeout");
        if (idleTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("idleTimeout must be longer than heartbeatInterval");
        }
        this.connectTimeout = positive(b.connectTimeout, "connectTimeout");
        this.writeBufferLow = atLeast(b.writeBufferLow, 1024, "writeBufferLow");
        this.writeBufferHigh = atLeast(b.writeBufferHigh, writeBufferLow, "writeBufferHigh");
        this.maxOutboundBytes = atLeast(b.maxOutboundBytes, writeBufferHigh, "maxOutboundBytes");
        this.slowConsumerTimeout = positive(b.slowConsumerTimeout, "slowConsumerTimeout");
        this.closeGrace = positive(b.closeGrace, "closeGrace");
        this.interestLinger = Objects.requireNonNull(b.interestLinger, "interestLinger");
        this.shutdownTimeout = positive(b.shutdownTimeout, "shutdownTimeout");
        this.maxApiBodyBytes = atLeast(b.maxApiBodyBytes, 1024, "maxApiBodyBytes");
        this.http = Objects.requireNonNull(b.http, "http");
        this.apiHttp = Objects.requireNonNull(b.apiHttp, "apiHttp");
        this.presenceTtl = positive(b.presenceTtl, "presenceTtl");
        this.presenceRenew = positive(b.presenceRenew, "presenceRenew");
        this.commandRate = atLeast(b.commandRate, 1, "commandRate");
        this.commandBurst = atLeast(b.commandBurst, 1, "commandBurst");
        this.maxConnectionsPerUser = atLeast(b.maxConnectionsPerUser, 0, "maxConnectionsPerUser");
        this.maxConnectionsPerIp = atLeast(b.maxConnectionsPerIp, 0, "maxConnectionsPerIp");
        this.maxConnectionsPerOrg = atLeast(b.maxConnectionsPerOrg, 0, "maxConnectionsPerOrg");
        this.connectRatePerIp = atLeast(b.connectRatePerIp, 0, "connectRatePerIp");
        this.allowedOrigins = java.util.List.copyOf(b.allowedOrigins);
        if (presenceRenew.compareTo(presenceTtl) >= 0) {
            throw new IllegalArgumentException("presenceRenew must be shorter than presenceTtl (leases would lapse between renewals)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.apiHost = apiHost;
        b.apiPort = apiPort;
        b.nodeId = nodeId;
        b.transport = transport;
        b.ioThreads = ioThreads;
        b.maxMessageBytes = maxMessageBytes;
        b.maxPayloadBytes = maxPayloadBytes;
        b.maxFramesPerMessage = maxFramesPerMessage;
        b.maxChannelsPerSession = maxChannelsPerSession;
        b.heartbeatInterval = heartbeatInterval;
        b.idleTimeout = idleTimeout;
        b.connectTimeout = connectTimeout;
        b.writeBufferLow = writeBufferLow;
        b.writeBufferHigh = writeBufferHigh;
        b.maxOutboundBytes = maxOutboundBytes;
        b.slowConsumerTimeout = slowConsumerTimeout;
        b.closeGrace = closeGrace;
        b.interestLinger = interestLinger;
        b.shutdownTimeout = shutdownTimeout;
        b.maxApiBodyBytes = maxApiBodyBytes;
        b.http = http;
        b.apiHttp = apiHttp;
        b.presenceTtl = presenceTtl;
        b.presenceRenew = presenceRenew;
        b.commandRate = commandRate;
        b.commandBurst = commandBurst;
        b.maxConnectionsPerUser = maxConnectionsPerUser;
        b.maxConnectionsPerIp = maxConnectionsPerIp;
        b.maxConnectionsPerOrg = maxConnectionsPerOrg;
        b.connectRatePerIp = connectRatePerIp;
        b.allowedOrigins = allowedOrigins;
        return b;
    }

    public String host() { return host; }
    public int port() { return port; }
    public String apiHost() { return apiHost; }
    /** The server API port; 0 picks a free port when {@link #apiEnabled()}, see {@link Builder#apiPort}. */
    public int apiPort() { return apiPort; }
    public boolean apiEnabled() { return apiPort >= 0; }
    public String nodeId() { return nodeId; }
    public String transport() { return transport; }
    public int ioThreads() { return ioThreads; }

    /**
     * The event loops an edge runs with {@code ioThreads} 0, on a machine (or container) of {@code cores} cores: half of
     * them, at least one. Every loop that holds a subscriber of a small channel costs each publication there a hand-over
     * to that loop (a task and, as it sleeps, a wake-up); the other half of the cores is left to the JIT, the
     * collector, the Redis client and the kernel's network work (ADR 0018, docs/benchmarks.md "How many event loops").
     */
    public static int defaultIoThreads(int cores) { return Math.max(1, cores / 2); }

    /** The event loops this edge runs: {@link #ioThreads()}, or {@link #defaultIoThreads} of the cores the JVM sees. */
    public int effectiveIoThreads() {
        return ioThreads > 0 ? ioThreads : defaultIoThreads(Runtime.getRuntime().availableProcessors());
    }

    public int maxMessageBytes() { return maxMessageBytes; }
    public int maxPayloadBytes() { return maxPayloadBytes; }
    public int maxFramesPerMessage() { return maxFramesPerMessage; }
    public int maxChannelsPerSession() { return maxChannelsPerSession; }
    public Duration heartbeatInterval() { return heartbeatInterval; }
    public Duration idleTimeout() { return idleTimeout; }
    public Duration connectTimeout() { return connectTimeout; }
    public int writeBufferLow() { return writeBufferLow; }
    public int writeBufferHigh() { return writeBufferHigh; }
    /** The hard cap on what the node holds for one session; half of it is the soft mark where shedding starts. */
    public int maxOutboundBytes() { return maxOutboundBytes; }
    public Duration slowConsumerTimeout() { return slowConsumerTimeout; }
    /** How long a disconnected session may take to flush its goodbye before its socket is closed hard. */
    public Duration closeGrace() { return closeGrace; }
    public Duration interestLinger() { return interestLinger; }
    public Duration shutdownTimeout() { return shutdownTimeout; }
    public int maxApiBodyBytes() { return maxApiBodyBytes; }
    /** Limits and timeouts of the public port's HTTP, until a connection upgrades (docs/security.md). */
    public HttpServerOptions http() { return http; }
    /** Limits and timeouts of the server API port (docs/security.md). */
    public HttpServerOptions apiHttp() { return apiHttp; }
    public Duration presenceTtl() { return presenceTtl; }
    public Duration presenceRenew() { return presenceRenew; }
    /** Commands per second one connection may send (token bucket refill rate). */
    public int commandRate() { return commandRate; }
    /** Commands one connection may send in a burst (token bucket size). */
    public int commandBurst() { return commandBurst; }
    /** Sessions of one user on this node; 0 = no limit. */
    public int maxConnectionsPerUser() { return maxConnectionsPerUser; }
    /** Sessions from one IP address on this node; 0 = no limit. */
    public int maxConnectionsPerIp() { return maxConnectionsPerIp; }
    /** Sessions of one organisation on this node; 0 = no limit. */
    public int maxConnectionsPerOrg() { return maxConnectionsPerOrg; }
    /** New connections per second from one IP address; 0 = no limit. */
    public int connectRatePerIp() { return connectRatePerIp; }
    /** Origins browsers may connect from ({@code https://chat.example.com}); empty = any. */
    public java.util.List<String> allowedOrigins() { return allowedOrigins; }

    @Override
    public String toString() {
        return "EdgeServerOptions{host=" + host + ", port=" + port + ", api=" + (apiEnabled() ? apiHost + ":" + apiPort : "off")
                + ", nodeId=" + nodeId + ", transport=" + transport + ", ioThreads=" + ioThreads
                + ", maxMessageBytes=" + maxMessageBytes + ", maxPayloadBytes=" + maxPayloadBytes
                + ", maxFramesPerMessage=" + maxFramesPerMessage + ", maxChannelsPerSession=" + maxChannelsPerSession
                + ", heartbeatInterval=" + heartbeatInterval + ", idleTimeout=" + idleTimeout
                + ", connectTimeout=" + connectTimeout + ", writeBuffer=" + writeBufferLow + "/" + writeBufferHigh
                + ", maxOutboundBytes=" + maxOutboundBytes + ", slowConsumerTimeout=" + slowConsumerTimeout
                + ", closeGrace=" + closeGrace
                + ", interestLinger=" + interestLinger + ", shutdownTimeout=" + shutdownTimeout
                + ", maxApiBodyBytes=" + maxApiBodyBytes + ", http=" + http + ", apiHttp=" + apiHttp
                + ", presenceTtl=" + presenceTtl
                + ", presenceRenew=" + presenceRenew + ", commandRate=" + commandRate + "/" + commandBurst
                + ", maxConnectionsPerUser=" + maxConnectionsPerUser + ", maxConnectionsPerIp=" + maxConnectionsPerIp
                + ", maxConnectionsPerOrg=" + maxConnectionsPerOrg + ", connectRatePerIp=" + connectRatePerIp
                + ", allowedOrigins=" + allowedOrigins + "}";
    }

    private static int checkPort(int port, String name) {
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be -1 (off), 0 (any free port) or 1-65535: " + port);
        }
        return port;
    }

    private static int atLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ": " + value);
        }
        return value;
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    private static String requireId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("nodeId must be 1-64 of [A-Za-z0-9_.-]: " + id);
        }
        return id;
    }

    private static String checkTransport(String t) {
        if (!t.equals("auto") && !t.equals("io_uring") && !t.equals("epoll") && !t.equals("nio")) {
            throw new IllegalArgumentException("transport must be auto, io_uring, epoll or nio: " + t);
        }
        return t;
    }

    /** Collects option values; every setter has the default of its {@code DEFAULT_*} constant. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String apiHost;
        private int apiPort = DEFAULT_API_PORT;
        private String nodeId = "node-" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
        private String transport = DEFAULT_TRANSPORT;
        private int ioThreads = DEFAULT_IO_THREADS;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private int maxFramesPerMessage = DEFAULT_MAX_FRAMES_PER_MESSAGE;
        private int maxChannelsPerSession = DEFAULT_MAX_CHANNELS_PER_SESSION;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int writeBufferLow = DEFAULT_WRITE_BUFFER_LOW;
        private int writeBufferHigh = DEFAULT_WRITE_BUFFER_HIGH;
        private int maxOutboundBytes = DEFAULT_MAX_OUTBOUND_BYTES;
        private Duration slowConsumerTimeout = DEFAULT_SLOW_CONSUMER_TIMEOUT;
        private Duration closeGrace = DEFAULT_CLOSE_GRACE;
        private Duration interestLinger = DEFAULT_INTEREST_LINGER;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private int maxApiBodyBytes = DEFAULT_MAX_API_BODY_BYTES;
        private HttpServerOptions http = DEFAULT_HTTP;
        private HttpServerOptions apiHttp = DEFAULT_API_HTTP;
        private Duration presenceTtl = DEFAULT_PRESENCE_TTL;
        private Duration presenceRenew = DEFAULT_PRESENCE_RENEW;
        private int commandRate = DEFAULT_COMMAND_RATE;
        private int commandBurst = DEFAULT_COMMAND_BURST;
        private int maxConnectionsPerUser = DEFAULT_MAX_CONNECTIONS_PER_USER;
        private int maxConnectionsPerIp = DEFAULT_MAX_CONNECTIONS_PER_IP;
        private int maxConnectionsPerOrg = DEFAULT_MAX_CONNECTIONS_PER_ORG;
        private int connectRatePerIp = DEFAULT_CONNECT_RATE_PER_IP;
        private java.util.List<String> allowedOrigins = java.util.List.of();

        private Builder() {
        }

        public Builder host(String v) { host = v; return this; }
        /** The WebSocket port; 0 picks a free one (see {@link EdgeServer#port()}). */
        public Builder port(int v) { port = v; return this; }
        public Builder apiHost(String v) { apiHost = v; return this; }
        /** The server API port: -1 turns the API off, 0 picks a free one. */
        public Builder apiPort(int v) { apiPort = v; return this; }
        public Builder nodeId(String v) { nodeId = v; return this; }
        /** auto, io_uring, epoll or nio. */
        public Builder transport(String v) { transport = v; return this; }
        /** Event loop threads; 0 means {@link #defaultIoThreads half the cores}, at least one. */
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder maxMessageBytes(int v) { maxMessageBytes = v; return this; }
        public Builder maxPayloadBytes(int v) { maxPayloadBytes = v; return this; }
        public Builder maxFramesPerMessage(int v) { maxFramesPerMessage = v; return this; }
        public Builder maxChannelsPerSession(int v) { maxChannelsPerSession = v; return this; }
        public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder writeBufferWaterMarks(int low, int high) { writeBufferLow = low; writeBufferHigh = high; return this; }
        public Builder maxOutboundBytes(int v) { maxOutboundBytes = v; return this; }
        public Builder slowConsumerTimeout(Duration v) { slowConsumerTimeout = v; return this; }
        public Builder closeGrace(Duration v) { closeGrace = v; return this; }
        public Builder interestLinger(Duration v) { interestLinger = v; return this; }
        public Builder shutdownTimeout(Duration v) { shutdownTimeout = v; return this; }
        public Builder maxApiBodyBytes(int v) { maxApiBodyBytes = v; return this; }
        public Builder http(HttpServerOptions v) { http = v; return this; }
        public Builder apiHttp(HttpServerOptions v) { apiHttp = v; return this; }
        /** Presence lease lifetime and renewal period (renew well inside the TTL). */
        public Builder presence(Duration ttl, Duration renew) { presenceTtl = ttl; presenceRenew = renew; return this; }
        /** Per-connection command budget: {@code rate} per second, bursts of {@code burst}. */
        public Builder commandRate(int rate, int burst) { commandRate = rate; commandBurst = burst; return this; }
        /** Per-node session limits; 0 turns a limit off. */
        public Builder connectionLimits(int perUser, int perIp, int perOrg) {
            maxConnectionsPerUser = perUser; maxConnectionsPerIp = perIp; maxConnectionsPerOrg = perOrg; return this;
        }
        public Builder connectRatePerIp(int v) { connectRatePerIp = v; return this; }
        public Builder allowedOrigins(java.util.List<String> v) { allowedOrigins = java.util.List.copyOf(v); return this; }

        public EdgeServerOptions build() {
            return new EdgeServerOptions(this);
        }
    }
}
