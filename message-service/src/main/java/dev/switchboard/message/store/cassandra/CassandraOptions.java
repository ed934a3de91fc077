package dev.switchboard.message.store.cassandra;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the Cassandra message store is and how it writes. Immutable; build with
 * {@link #builder()} or parse a URI with {@link #parse}:
 *
 * <pre>cassandra://host1[:port],host2[:port]/keyspace?dc=datacenter1&amp;rf=3&amp;bucket=1000</pre>
 *
 * Writes and reads run at LOCAL_QUORUM, conditional writes at LOCAL_SERIAL:
 * with replication factor 3 a quorum is 2, so one node of a replica set may be
 * down. {@code bucketSize} (messages per partition) is fixed when the keyspace
 * is created and checked at every open.
 */
public final class CassandraOptions {
    public static final int DEFAULT_PORT = 9042;
    public static final String DEFAULT_DATACENTER = "datacenter1";
    public static final int DEFAULT_REPLICATION_FACTOR = 3;
    public static final int DEFAULT_BUCKET_SIZE = 1000;
    /** Above the server's write timeout (2 s by default), so that the server's typed answer arrives first. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final boolean DEFAULT_MIGRATE = true;
    private static final Pattern KEYSPACE = Pattern.compile("[a-z][a-z0-9_]{0,47}");

    private final List<InetSocketAddress> contactPoints;
    private final String keyspace;
    private final String datacenter;
    private final int replicationFactor;
    private final int bucketSize;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final boolean migrate;

    private CassandraOptions(Builder b) {
        if (b.contactPoints.isEmpty()) {
            throw new IllegalArgumentException("at least one contact point");
        }
        this.contactPoints = List.copyOf(b.contactPoints);
        if (b.keyspace == null || !KEYSPACE.matcher(b.keyspace).matches()) {
            throw new IllegalArgumentException("keyspace must match " + KEYSPACE + ", got " + b.keyspace);
        }
        this.keyspace = b.keyspace;
        this.datacenter = Objects.requireNonNull(b.datacenter, "datacenter");
        if (b.replicationFactor < 1 || b.replicationFactor > 9) {
            throw new IllegalArgumentException("rf must be 1-9, got " + b.replicationFactor);
        }
        this.replicationFactor = b.replicationFactor;
        if (b.bucketSize < 2 || b.bucketSize > 100_000) {
            throw new IllegalArgumentException("bucket must be 2-100000 messages, got " + b.bucketSize);
        }
        this.bucketSize = b.bucketSize;
        if (b.requestTimeout.compareTo(Duration.ofMillis(100)) < 0 || b.connectTimeout.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("timeouts must be at least 100ms");
        }
        this.requestTimeout = b.requestTimeout;
        this.connectTimeout = b.connectTimeout;
        this.migrate = b.migrate;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code uri} names a Cassandra store ({@code cassandra://...}). */
    public static boolean isCassandra(String uri) {
        return uri != null && uri.startsWith("cassandra://");
    }

    /** Parses {@code cassandra://host1[:port],host2/keyspace?dc=..&rf=..&bucket=..}; IllegalArgumentException if malformed. */
    public static CassandraOptions parse(String uri) {
        if (!isCassandra(uri)) {
            throw new IllegalArgumentException("a Cassandra store is cassandra://host1,host2/keyspace, got "
                    + (uri == null ? null : uri.substring(0, Math.min(uri.length(), 20))));
        }
        String rest = uri.substring("cassandra://".length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("no keyspace in " + uri + " (cassandra://host1,host2/keyspace)");
        }
        Builder b = builder().keyspace(rest.substring(slash + 1));
        for (String hostPort : rest.substring(0, slash).split(",")) {
            if (hostPort.isBlank()) {
                throw new IllegalArgumentException("empty host in " + uri);
            }
            b.contactPoint(hostPort.trim());
        }
        for (String param : query.split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String name = (eq < 0 ? param : param.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
            switch (name) {
                case "dc" -> b.datacenter(value);
                case "rf" -> b.replicationFactor(integer(name, value));
                case "bucket" -> b.bucketSize(integer(name, value));
                case "timeout" -> b.requestTimeout(Duration.ofMillis(integer(name, value)));
                case "migrate" -> b.migrate(Boolean.parseBoolean(value));
                default -> throw new IllegalArgumentException("unknown parameter " + name
                        + " (dc, rf, bucket, timeout (ms), migrate)");
            }
        }
        return b.build();
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got " + value);
        }
    }

    public List<InetSocketAddress> contactPoints() {
        return contactPoints;
    }

    public String keyspace() {
        return keyspace;
    }

    public String datacenter() {
        return datacenter;
    }

    public int replicationFactor() {
        return replicationFactor;
    }

    /** Messages per (channel, bucket) partition. */
    public int bucketSize() {
        return bucketSize;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Whether opening creates the keyspace and tables that are missing (on by default). */
    public boolean migrate() {
        return migrate;
    }

    @Override
    public String toString() {
        return "CassandraOptions{contactPoints=" + contactPoints + ", keyspace=" + keyspace + ", dc=" + datacenter
                + ", rf=" + replicationFactor + ", bucketSize=" + bucketSize + ", requestTimeout=" + requestTimeout
                + ", migrate=" + migrate + "}";
    }

    /** Collects the options; contact points and keyspace are required. */
    public static final class Builder {
        private final List<InetSocketAddress> contactPoints = new ArrayList<>();
        private String keyspace;
        private String datacenter = DEFAULT_DATACENTER;
        private int replicationFactor = DEFAULT_REPLICATION_FACTOR;
        private int bucketSize = DEFAULT_BUCKET_SIZE;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private boolean migrate = DEFAULT_MIGRATE;

        private Builder() {
        }

        /** {@code host} or {@code host:port} (default port 9042). */
        public Builder contactPoint(String hostPort) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port = colon < 0 ? DEFAULT_PORT : integer("port", hostPort.substring(colon + 1));
            if (port < 1 || port > 65535 || host.isBlank()) {
                throw new IllegalArgumentException("bad contact point " + hostPort);
            }
            contactPoints.add(InetSocketAddress.createUnresolved(host, port));
            return this;
        }

        public Builder keyspace(String keyspace) {
            this.keyspace = keyspace;
            return this;
        }

        public Builder datacenter(String datacenter) {
            this.datacenter = datacenter;
            return this;
        }

        public Builder replicationFactor(int replicationFactor) {
            this.replicationFactor = replicationFactor;
            return this;
        }

        public Builder bucketSize(int bucketSize) {
            this.bucketSize = bucketSize;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout);
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout);
            return this;
        }

        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        public CassandraOptions build() {
            return new CassandraOptions(this);
        }
    }
}
