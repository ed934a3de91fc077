package dev.switchboard.bridge.redis;

import dev.switchboard.bridge.PersonalChannels;
import java.time.Duration;
import java.util.Objects;

/**
 * Values that shape a Redis broker (after Lettuce's {@code ClientOptions}):
 * immutable, built with {@link #builder()}, validated when built. The Lettuce
 * client and its threads are resources that the broker owns, not options.
 */
public final class RedisBrokerOptions {

    /** Redis channel = prefix + Switchboard channel, so that a Redis shared with other apps stays apart. */
    public static final String DEFAULT_KEY_PREFIX = "sb:";

    /** Subscriptions asked for within this window go out as one SUBSCRIBE with many channels. */
    public static final Duration DEFAULT_BATCH_WINDOW = Duration.ofMillis(2);

    /** Most channels in one SUBSCRIBE/UNSUBSCRIBE, so that one command never grows without bound. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 512;

    public static final Duration DEFAULT_RECONNECT_DELAY_MIN = Duration.ofMillis(50);
    // One second at most between reconnect attempts: every Redis client of a process shares these
    // resources, and the registry must see the edge nodes again within a heartbeat of Redis's return.
    public static final Duration DEFAULT_RECONNECT_DELAY_MAX = Duration.ofSeconds(1);

    /** A publish (or subscribe) not answered within this time fails: an outage surfaces fast, never as a hang. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(500);

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /** Cluster only: how often the slot map is refreshed even without a MOVED or a disconnect. */
    public static final Duration DEFAULT_TOPOLOGY_REFRESH_PERIOD = Duration.ofSeconds(30);

    /** Lettuce I/O threads of one broker; publishing and receiving are light, two cores are shared. */
    public static final int DEFAULT_IO_THREADS = 2;

    private static final RedisBrokerOptions DEFAULTS = builder().build();

    private final String keyPrefix;
    private final Duration batchWindow;
    private final int maxBatchSize;
    private final Duration reconnectDelayMin;
    private final Duration reconnectDelayMax;
    private final Duration commandTimeout;
    private final Duration connectTimeout;
    private final Duration topologyRefreshPeriod;
    private final int ioThreads;
    private final PersonalChannels personalChannels;

    private RedisBrokerOptions(Builder b) {
        this.keyPrefix = Objects.requireNonNull(b.keyPrefix, "keyPrefix");
        this.batchWindow = requireNonNegative(b.batchWindow, "batchWindow");
        this.maxBatchSize = requirePositive(b.maxBatchSize, "maxBatchSize");
        this.reconnectDelayMin = requirePositive(b.reconnectDelayMin, "reconnectDelayMin");
        this.reconnectDelayMax = requirePositive(b.reconnectDelayMax, "reconnectDelayMax");
        if (reconnectDelayMax.compareTo(reconnectDelayMin) < 0) {
            throw new IllegalArgumentException("reconnectDelayMax " + reconnectDelayMax
                    + " is below reconnectDelayMin " + reconnectDelayMin);
        }
        this.commandTimeout = requirePositive(b.commandTimeout, "commandTimeout");
        this.connectTimeout = requirePositive(b.connectTimeout, "connectTimeout");
        this.topologyRefreshPeriod = requirePositive(b.topologyRefreshPeriod, "topologyRefreshPeriod");
        this.ioThreads = requirePositive(b.ioThreads, "ioThreads");
        this.personalChannels = Objects.requireNonNull(b.personalChannels, "personalChannels");
    }

    public static RedisBrokerOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these values. */
    public Builder mutate() {
        return new Builder()
                .keyPrefix(keyPrefix)
                .batchWindow(batchWindow)
                .maxBatchSize(maxBatchSize)
                .reconnectDelay(reconnectDelayMin, reconnectDelayMax)
                .commandTimeout(commandTimeout)
                .connectTimeout(connectTimeout)
                .topologyRefreshPeriod(topologyRefreshPeriod)
                .ioThreads(ioThreads)
                .personalChannels(personalChannels);
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    public Duration batchWindow() {
        return batchWindow;
    }

    public int maxBatchSize() {
        return maxBatchSize;
    }

    public Duration reconnectDelayMin() {
        return reconnectDelayMin;
    }

    public Duration reconnectDelayMax() {
        return reconnectDelayMax;
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration topologyRefreshPeriod() {
        return topologyRefreshPeriod;
    }

    public int ioThreads() {
        return ioThreads;
    }

    /** How personal channels travel through Redis (ADR 0019): the same way on every process of a fleet. */
    public PersonalChannels personalChannels() {
        return personalChannels;
    }

    @Override
    public String toString() {
        return "RedisBrokerOptions{keyPrefix='" + keyPrefix + '\''
                + ", batchWindow=" + batchWindow
                + ", maxBatchSize=" + maxBatchSize
                + ", reconnectDelayMin=" + reconnectDelayMin
                + ", reconnectDelayMax=" + reconnectDelayMax
                + ", commandTimeout=" + commandTimeout
                + ", connectTimeout=" + connectTimeout
                + ", topologyRefreshPeriod=" + topologyRefreshPeriod
                + ", ioThreads=" + ioThreads
                + ", personalChannels=" + personalChannels + '}';
    }

    private static Duration requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
        return d;
    }

    private static Duration requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    private static int requirePositive(int n, String name) {
        if (n <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + n);
        }
        return n;
    }

    /** Collects values; {@link #build()} validates them. */
    public static final class Builder {
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration batchWindow = DEFAULT_BATCH_WINDOW;
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
        private Duration reconnectDelayMin = DEFAULT_RECONNECT_DELAY_MIN;
        private Duration reconnectDelayMax = DEFAULT_RECONNECT_DELAY_MAX;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration topologyRefreshPeriod = DEFAULT_TOPOLOGY_REFRESH_PERIOD;
        private int ioThreads = DEFAULT_IO_THREADS;
        private PersonalChannels personalChannels = PersonalChannels.BUCKETS;

        private Builder() {
        }

        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            return this;
        }

        /** Zero sends every subscription change at once (still one command per change). */
        public Builder batchWindow(Duration batchWindow) {
            this.batchWindow = batchWindow;
            return this;
        }

        public Builder maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /** Exponential backoff between reconnect attempts, from {@code min} doubling up to {@code max}. */
        public Builder reconnectDelay(Duration min, Duration max) {
            this.reconnectDelayMin = min;
            this.reconnectDelayMax = max;
            return this;
        }

        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder topologyRefreshPeriod(Duration topologyRefreshPeriod) {
            this.topologyRefreshPeriod = topologyRefreshPeriod;
            return this;
        }

        public Builder ioThreads(int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        /** {@link PersonalChannels#BUCKETS} unless a rolling upgrade from per-user channels is under way. */
        public Builder personalChannels(PersonalChannels personalChannels) {
            this.personalChannels = personalChannels;
            return this;
        }

        public RedisBrokerOptions build() {
            return new RedisBrokerOptions(this);
        }
    }
}
