package dev.switchboard.balancer;

import dev.switchboard.http.HttpServerOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * The values that configure one balancer instance: immutable, validated when built,
 * printed at start. The registry, keys and event loops are resources of
 * {@link BalancerServer}, not options.
 */
public final class BalancerOptions {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8070;
    public static final double DEFAULT_LOAD_FACTOR = Placement.DEFAULT_LOAD_FACTOR;
    public static final int DEFAULT_MIN_SHARE = Placement.DEFAULT_MIN_SHARE;
    /** Enough for a client to get past one dead or refusing node without coming back. */
    public static final int DEFAULT_MAX_FALLBACKS = 2;
    /** How often the registry is read; a draining node stops receiving placements within this plus one beat. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMillis(500);
    /** Older than this, the view of the fleet is not trusted with clients (503) and /healthz fails. */
    public static final Duration DEFAULT_MAX_VIEW_AGE = Duration.ofSeconds(10);
    /**
     * How long a placement counts towards its node's load while the node's heartbeats do not show it: five
     * heartbeats, time for a slow client to connect and be counted. One not shown by then most likely failed
     * and asked again (a new placement), or arrived while as many sessions closed (the count did not grow).
     */
    public static final Duration DEFAULT_PENDING_TIMEOUT = Duration.ofSeconds(5);
    /** Every route is a GET without a body; the HTTP limits are the shared layer's defaults otherwise. */
    public static final HttpServerOptions DEFAULT_HTTP = HttpServerOptions.builder().maxBodyBytes(0).build();
    /** One event loop: a request is a token check and a walk over a few nodes. */
    public static final int DEFAULT_IO_THREADS = 1;

    private final String host;
    private final int port;
    private final double loadFactor;
    private final int minShare;
    private final int maxFallbacks;
    private final Duration refreshInterval;
    private final Duration maxViewAge;
    private final Duration pendingTimeout;
    private final HttpServerOptions http;
    private final int ioThreads;
    private final RegistryOptions registry;

    private BalancerOptions(Builder b) {
        this.host = Objects.requireNonNull(b.host, "host");
        if (b.port < 0 || b.port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535: " + b.port);
        }
        this.port = b.port;
        // Placement validates the load factor and min share; fail here, at configuration time.
        new Placement(b.loadFactor, b.minShare);
        this.loadFactor = b.loadFactor;
        this.minShare = b.minShare;
        if (b.maxFallbacks < 0) {
            throw new IllegalArgumentException("maxFallbacks must not be negative: " + b.maxFallbacks);
        }
        this.maxFallbacks = b.maxFallbacks;
        this.refreshInterval = RegistryOptions.positive(b.refreshInterval, "refreshInterval");
        this.maxViewAge = RegistryOptions.positive(b.maxViewAge, "maxViewAge");
        if (maxViewAge.compareTo(refreshInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("maxViewAge must be at least two refresh intervals");
        }
        this.pendingTimeout = RegistryOptions.positive(b.pendingTimeout, "pendingTimeout");
        this.http = Objects.requireNonNull(b.http, "http");
        if (b.ioThreads <= 0) {
            throw new IllegalArgumentException("ioThreads must be positive: " + b.ioThreads);
        }
        this.ioThreads = b.ioThreads;
        this.registry = Objects.requireNonNull(b.registry, "registry");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().host(host).port(port).loadFactor(loadFactor).minShare(minShare).maxFallbacks(maxFallbacks)
                .refreshInterval(refreshInterval).maxViewAge(maxViewAge).pendingTimeout(pendingTimeout).http(http)
                .ioThreads(ioThreads).registry(registry);
    }

    public String host() { return host; }
    public int port() { return port; }
    public double loadFactor() { return loadFactor; }
    public int minShare() { return minShare; }
    public int maxFallbacks() { return maxFallbacks; }
    public Duration refreshInterval() { return refreshInterval; }
    public Duration maxViewAge() { return maxViewAge; }
    public Duration pendingTimeout() { return pendingTimeout; }
    /** Header and body limits, timeouts and the connection limit of the HTTP port. */
    public HttpServerOptions http() { return http; }
    public int ioThreads() { return ioThreads; }
    public RegistryOptions registry() { return registry; }

    @Override
    public String toString() {
        return "BalancerOptions{host='" + host + "', port=" + port + ", loadFactor=" + loadFactor + ", minShare=" + minShare
                + ", maxFallbacks=" + maxFallbacks + ", refreshInterval=" + refreshInterval + ", maxViewAge=" + maxViewAge
                + ", pendingTimeout=" + pendingTimeout + ", http=" + http + ", ioThreads=" + ioThreads + ", registry=" + registry + '}';
    }

    /** Collects values; {@link #build()} validates them. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private double loadFactor = DEFAULT_LOAD_FACTOR;
        private int minShare = DEFAULT_MIN_SHARE;
        private int maxFallbacks = DEFAULT_MAX_FALLBACKS;
        private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;
        private Duration maxViewAge = DEFAULT_MAX_VIEW_AGE;
        private Duration pendingTimeout = DEFAULT_PENDING_TIMEOUT;
        private HttpServerOptions http = DEFAULT_HTTP;
        private int ioThreads = DEFAULT_IO_THREADS;
        private RegistryOptions registry = RegistryOptions.defaults();

        private Builder() {
        }

        public Builder host(String v) { host = v; return this; }
        /** 0 picks a free port (tests). */
        public Builder port(int v) { port = v; return this; }
        /** c in "no node above c × its share of the load"; at least 1.0. */
        public Builder loadFactor(double v) { loadFactor = v; return this; }
        public Builder minShare(int v) { minShare = v; return this; }
        public Builder maxFallbacks(int v) { maxFallbacks = v; return this; }
        public Builder refreshInterval(Duration v) { refreshInterval = v; return this; }
        public Builder maxViewAge(Duration v) { maxViewAge = v; return this; }
        /** How long a placement its node's heartbeats do not show yet still counts towards the node's load. */
        public Builder pendingTimeout(Duration v) { pendingTimeout = v; return this; }
        public Builder http(HttpServerOptions v) { http = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder registry(RegistryOptions v) { registry = v; return this; }

        public BalancerOptions build() {
            return new BalancerOptions(this);
        }
    }
}
