package dev.switchboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own (initdb into a temporary directory,
 * trust authentication, a free loopback port), so that a fault test can crash
 * it and start it again on the same port and data directory. The shared
 * server on 5432 is never touched.
 *
 * <p>PostgreSQL refuses to run as root; when the tests run as root, every
 * server command runs as the {@code postgres} user ({@code runuser}) in a
 * directory that user owns.
 */
public final class PostgresServerProcess implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final Path socketDir;
    private final int port;
    private final boolean asPostgresUser;
    private final String settings;
    private boolean running;

    /** Creates and starts a fresh cluster with one database, {@code test}. */
    public PostgresServerProcess() {
        this(new String[0]);
    }

    /**
     * As {@link #PostgresServerProcess()}, with server settings ({@code name=value}) on top of the
     * test defaults, e.g. {@code fsync=on} and {@code commit_delay=20000} to widen the window in
     * which a stopped server may or may not have made a commit durable.
     */
    public PostgresServerProcess(String... settings) {
        StringBuilder extra = new StringBuilder();
        for (String s : settings) {
            if (!s.matches("[a-z_]+=[A-Za-z0-9_.]+")) {
                throw new IllegalArgumentException("a setting is name=value: " + s);
            }
            extra.append(" -c ").append(s);
        }
        this.settings = extra.toString();
        this.bin = findBin();
        this.port = FreePorts.next();
        this.asPostgresUser = "root".equals(System.getProperty("user.name"));
        try {
            this.dir = Files.createTempDirectory("pg-" + port + "-");
            this.data = dir.resolve("data");
            this.socketDir = Files.createDirectory(dir.resolve("sock"));
            if (asPostgresUser) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
                Files.setOwner(socketDir, postgres);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            // --no-sync and fsync=off: a test cluster need not survive a power cut, only a
            // process crash, and the operating system keeps the written pages across that.
            run("initdb", "-D", data.toString(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync");
            start();
            try (Connection c = DriverManager.getConnection(adminUrl("postgres"))) {
                c.createStatement().execute("CREATE DATABASE test");
            }
        } catch (SQLException | RuntimeException e) {
            close();
            throw new IllegalStateException("cannot set up PostgreSQL in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Starts the server (again) on the same port and data directory; returns once it accepts connections. */
    public PostgresServerProcess start() {
        run("pg_ctl", "-D", data.toString(), "-l", dir.resolve("postgres.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -h 127.0.0.1 -k " + socketDir + " -c fsync=off -c max_connections=50" + settings, "start");
        running = true;
        return this;
    }

    /**
     * Stops the server the way a crash does ({@code pg_ctl stop -m immediate}: every
     * backend is killed, no checkpoint); the next start runs crash recovery.
     */
    public void crash() {
        if (running) {
            run("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
            running = false;
        }
    }

    /**
     * Stops the server the way an operator or an orchestrator does ({@code pg_ctl stop -m fast}):
     * sessions are ended with 57P01 (admin shutdown), open transactions rolled back, and the
     * server checkpoints and exits; a commit in flight may or may not become durable.
     */
    public void stopFast() {
        if (running) {
            run("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop");
            running = false;
        }
    }

    public boolean isRunning() {
        return running;
    }

    public int port() {
        return port;
    }

    /** JDBC URL of the {@code test} database. */
    public String jdbcUrl() {
        return adminUrl("test");
    }

    /** The server log, for failure messages. */
    public Path log() {
        return dir.resolve("postgres.log");
    }

    private String adminUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    private void run(String tool, String... args) {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.add(bin.resolve(tool).toString());
        cmd.addAll(List.of(args));
        Path out = dir.resolve(tool + ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(tool + " did not finish within " + COMMAND_TIMEOUT);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited with " + p.exitValue() + ": "
                        + Files.readString(out) + (Files.exists(log()) ? "\n" + Files.readString(log()) : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + tool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + tool, e);
        }
    }

    /** The newest installed PostgreSQL's bin directory (Debian layout), or the one named by {@code SWITCHBOARD_TEST_PG_BIN}. */
    private static Path findBin() {
        String env = System.getenv("SWITCHBOARD_TEST_PG_BIN");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no initdb under /usr/lib/postgresql/*/bin"));
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL server binaries not found (set SWITCHBOARD_TEST_PG_BIN)", e);
        }
    }

    /** Stops the server (immediately) and deletes its directory. */
    @Override
    public void close() {
        try {
            crash();
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temporary directory is harmless.
            }
        }
    }
}
