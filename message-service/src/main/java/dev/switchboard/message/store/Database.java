package dev.switchboard.message.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.switchboard.message.ChatException;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat database: a HikariCP pool (its gauges registered with Micrometer),
 * migrated by Flyway from {@code db/migration/<vendor>} when opened. Every call
 * blocks; callers run them off the event loops (see {@code ChatService}).
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final int poolSize;

    private Database(HikariDataSource pool, Dialect dialect, int poolSize) {
        this.pool = pool;
        this.dialect = dialect;
        this.poolSize = poolSize;
    }

    /** Connects (failing within the connection timeout if the database is down) and migrates. */
    public static Database open(DatabaseOptions options, MeterRegistry registry) {
        Dialect dialect = options.dialect();
        HikariConfig config = new HikariConfig();
        config.setPoolName("switchboard-db");
        config.setJdbcUrl(options.jdbcUrl());
        config.setUsername(options.username());
        config.setPassword(options.password());
        config.setMaximumPoolSize(options.poolSize());
        config.setAutoCommit(false);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setConnectionTimeout(options.connectionTimeout().toMillis());
        config.setValidationTimeout(Math.max(250, options.connectionTimeout().toMillis() / 2));
        config.setInitializationFailTimeout(options.connectionTimeout().toMillis());
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        if (dialect == Dialect.POSTGRESQL) {
            // The driver's own timeouts (seconds), so that a dead network fails a call instead of hanging it.
            config.addDataSourceProperty("connectTimeout", seconds(options.connectionTimeout()));
            config.addDataSourceProperty("socketTimeout", seconds(options.socketTimeout()));
        }
        HikariDataSource pool = new HikariDataSource(config);
        try {
            if (options.migrate()) {
                migrate(pool, dialect);
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        log.info("database open: {} {}", dialect, options);
        return new Database(pool, dialect, options.poolSize());
    }

    private static void migrate(DataSource dataSource, Dialect dialect) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrations())
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    private static String seconds(Duration d) {
        return Long.toString(Math.max(1, (d.toMillis() + 999) / 1000));
    }

    public Dialect dialect() {
        return dialect;
    }

    public int poolSize() {
        return poolSize;
    }

    /** The pool, for tests and tools; application code goes through the stores. */
    public DataSource dataSource() {
        return pool;
    }

    /** A pooled connection with auto-commit off; the caller commits or rolls back and closes it. */
    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if
     * it throws, so nothing is half-written. JDBC failures become {@link ChatException}s.
     */
    <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = connection()) {
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // The connection is likely broken; the pool evicts it, and the database rolls back on its own.
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /** A unit of JDBC work on one connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }
}
