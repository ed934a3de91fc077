package dev.switchboard.balancer;

import java.time.Duration;
import java.util.Objects;

/**
 * Values shared by the two sides of the node registry: the edge node that beats
 * ({@link NodeRegistration}) and the balancer that reads ({@link NodeRegistry}).
 * Both sides must use the same key prefix. Immutable; built with {@link #builder()}.
 *
 * <p>Layout in Redis: one string key per node, {@code <prefix><nodeId>}, holding the
 * node's JSON and expiring {@link #ttl()} after the last beat; and one set,
 * {@code <prefix without the trailing ':'>}, of the node ids (the index, so that
 * readers never SCAN a keyspace shared with presence leases). See docs/balancer.md.
 */
public final class RegistryOptions {
    public static final String DEFAULT_KEY_PREFIX = "sb:nodes:";
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /** Three missed beats and the node is gone. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(3);
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private static final RegistryOptions DEFAULTS = builder().build();

    private final String keyPrefix;
    private final Duration heartbeatInterval;
    private final Duration ttl;
    private final Duration commandTimeout;
    private final Duration connectTimeout;

    private RegistryOptions(Builder b) {
        this.keyPrefix = Objects.requireNonNull(b.keyPrefix, "keyPrefix");
        if (keyPrefix.length() < 2 || !keyPrefix.endsWith(":")) {
            throw new IllegalArgumentException("keyPrefix must end with ':' (e.g. sb:nodes:): " + keyPrefix);
        }
        this.heartbeatInterval = positive(b.heartbeatInterval, "heartbeatInterval");
        this.ttl = positive(b.ttl, "ttl");
        if (ttl.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("ttl (" + ttl + ") must be at least two heartbeat intervals ("
                    + heartbeatInterval + "), or one late beat drops a healthy node");
        }
        this.commandTimeout = positive(b.commandTimeout, "commandTimeout");
        this.connectTimeout = positive(b.connectTimeout, "connectTimeout");
    }

    public static RegistryOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder mutate() {
        return new Builder().keyPrefix(keyPrefix).heartbeatInterval(heartbeatInterval).ttl(ttl)
                .commandTimeout(commandTimeout).connectTimeout(connectTimeout);
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    /** The key of one node's record. */
    public String nodeKey(String nodeId) {
        return keyPrefix + nodeId;
    }

    /** The set of registered node ids. */
    public String indexKey() {
        return keyPrefix.substring(0, keyPrefix.length() - 1);
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    public Duration ttl() {
        return ttl;
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public String toString() {
        return "RegistryOptions{keyPrefix='" + keyPrefix + "', heartbeatInterval=" + heartbeatInterval + ", ttl=" + ttl
                + ", commandTimeout=" + commandTimeout + ", connectTimeout=" + connectTimeout + '}';
    }

    static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    /** Collects values; {@link #build()} validates them. */
    public static final class Builder {
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration ttl = DEFAULT_TTL;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

        private Builder() {
        }

        /** For Redis Cluster, put a hash tag in it ({@code {sb}:nodes:}) so that the keys and the index share a slot. */
        public Builder keyPrefix(String v) { keyPrefix = v; return this; }
        public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }
        public Builder ttl(Duration v) { ttl = v; return this; }
        public Builder commandTimeout(Duration v) { commandTimeout = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }

        public RegistryOptions build() {
            return new RegistryOptions(this);
        }
    }
}
