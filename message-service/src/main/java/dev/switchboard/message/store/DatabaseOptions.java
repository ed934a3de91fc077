package dev.switchboard.message.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the chat database is and how the pool treats it. Immutable; build with
 * {@link #builder()}. {@link #embedded(Path)} gives the dev-mode H2 file database.
 */
public final class DatabaseOptions {
    public static final int DEFAULT_POOL_SIZE = 10;
    /** Short, so that a database outage answers 503 in seconds instead of hanging requests. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /** Bounds a statement on a connection that went silent (PostgreSQL only). */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);
    public static final boolean DEFAULT_MIGRATE = true;

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final int poolSize;
    private final Duration connectionTimeout;
    private final Duration socketTimeout;
    private final boolean migrate;

    private DatabaseOptions(Builder b) {
        this.jdbcUrl = Objects.requireNonNull(b.jdbcUrl, "jdbcUrl");
        Dialect.of(jdbcUrl); // validates the vendor
        this.username = b.username;
        this.password = b.password;
        if (b.poolSize < 1 || b.poolSize > 1000) {
            throw new IllegalArgumentException("poolSize must be 1-1000, got " + b.poolSize);
        }
        this.poolSize = b.poolSize;
        if (b.connectionTimeout.compareTo(Duration.ofMillis(250)) < 0) {
            throw new IllegalArgumentException("connectionTimeout must be at least 250ms (HikariCP's minimum)");
        }
        this.connectionTimeout = b.connectionTimeout;
        if (b.socketTimeout.isNegative() || b.socketTimeout.isZero()) {
            throw new IllegalArgumentException("socketTimeout must be positive");
        }
        this.socketTimeout = b.socketTimeout;
        this.migrate = b.migrate;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The embedded database of dev mode: an H2 file under {@code dataDir} in
     * PostgreSQL compatibility mode. The lock timeout is long enough for many
     * concurrent sends queueing on one channel's row.
     */
    public static DatabaseOptions embedded(Path dataDir) {
        String file = dataDir.toAbsolutePath().resolve("switchboard").toString();
        return builder().jdbcUrl("jdbc:h2:file:" + file
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000").build();
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public int poolSize() {
        return poolSize;
    }

    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    public Duration socketTimeout() {
        return socketTimeout;
    }

    public boolean migrate() {
        return migrate;
    }

    public Dialect dialect() {
        return Dialect.of(jdbcUrl);
    }

    @Override
    public String toString() {
        // The URL may carry a password parameter: show the vendor and target only.
        int q = jdbcUrl.indexOf('?');
        int semi = jdbcUrl.indexOf(';');
        int cut = q < 0 ? semi : semi < 0 ? q : Math.min(q, semi);
        return "DatabaseOptions{url=" + (cut < 0 ? jdbcUrl : jdbcUrl.substring(0, cut))
                + ", username=" + username + ", poolSize=" + poolSize
                + ", connectionTimeout=" + connectionTimeout + ", socketTimeout=" + socketTimeout
                + ", migrate=" + migrate + "}";
    }

    /** Collects the options; only the JDBC URL is required. */
    public static final class Builder {
        private String jdbcUrl;
        private String username;
        private String password;
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private boolean migrate = DEFAULT_MIGRATE;

        private Builder() {
        }

        public Builder jdbcUrl(String jdbcUrl) {
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        public Builder connectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = Objects.requireNonNull(connectionTimeout);
            return this;
        }

        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = Objects.requireNonNull(socketTimeout);
            return this;
        }

        /** Whether {@link Database#open} applies pending Flyway migrations (on by default). */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        public DatabaseOptions build() {
            return new DatabaseOptions(this);
        }
    }
}
