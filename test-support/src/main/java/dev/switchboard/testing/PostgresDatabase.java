package dev.switchboard.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A throwaway database on the local PostgreSQL (127.0.0.1:5432, trust auth),
 * created with a unique name and dropped on close, so that tests never depend
 * on data left by others. Host and port can be overridden with
 * {@code SWITCHBOARD_TEST_PG_HOST}/{@code SWITCHBOARD_TEST_PG_PORT}.
 */
public final class PostgresDatabase implements AutoCloseable {
    private final String host;
    private final int port;
    private final String name;

    public PostgresDatabase() {
        this.host = env("SWITCHBOARD_TEST_PG_HOST", "127.0.0.1");
        this.port = Integer.parseInt(env("SWITCHBOARD_TEST_PG_PORT", "5432"));
        this.name = "sb_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin("CREATE DATABASE " + name);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name + "?user=postgres";
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void admin(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres?user=postgres");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + host + ":" + port + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    private static String env(String key, String def) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? def : v;
    }
}
