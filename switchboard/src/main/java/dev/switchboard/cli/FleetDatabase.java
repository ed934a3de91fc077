package dev.switchboard.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates the local fleet's PostgreSQL database when it does not exist yet, so that
 * {@code fleet} works on a machine where only the server is installed: it connects to the
 * server's {@code postgres} database with the same host, port and parameters and runs
 * {@code CREATE DATABASE}. The message-service creates the schema itself.
 */
final class FleetDatabase {
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/?]+)/([A-Za-z_][A-Za-z0-9_]*)(\\?.*)?");

    private FleetDatabase() {
    }

    /** The database's name if {@code jdbcUrl} is a PostgreSQL URL this class can handle; empty otherwise. */
    static Optional<String> nameOf(String jdbcUrl) {
        Matcher m = URL.matcher(jdbcUrl);
        return m.matches() ? Optional.of(m.group(2)) : Optional.empty();
    }

    /** The same server's {@code postgres} database, with the URL's parameters. */
    static String maintenanceUrl(String jdbcUrl) {
        Matcher m = URL.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host:port/name URL: " + jdbcUrl);
        }
        return "jdbc:postgresql://" + m.group(1) + "/postgres" + (m.group(3) == null ? "" : m.group(3));
    }

    /**
     * Creates the database of {@code jdbcUrl} if it is missing; returns true if it created it. A server that
     * cannot be reached is left to the message-service, whose start-up failure names it.
     */
    static boolean ensureExists(String jdbcUrl) throws SQLException {
        Optional<String> name = nameOf(jdbcUrl);
        if (name.isEmpty()) {
            return false;
        }
        try (Connection c = DriverManager.getConnection(maintenanceUrl(jdbcUrl))) {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, name.get());
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement create = c.createStatement()) {
                // The name matched [A-Za-z_][A-Za-z0-9_]* above: quoting it keeps its case.
                create.execute("CREATE DATABASE \"" + name.get() + "\"");
            } catch (SQLException e) {
                if ("42P04".equals(e.getSQLState())) {
                    return false; // created meanwhile by someone else
                }
                throw e;
            }
            return true;
        }
    }
}
