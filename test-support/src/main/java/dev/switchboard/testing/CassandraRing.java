package dev.switchboard.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Apache Cassandra ring on loopback: node {@code i} (1-based) listens on
 * {@code 127.0.0.i}, each node a JVM of its own (Cassandra 5.0 on JDK 17) with
 * its data under a temporary directory that {@link #close()} deletes. A node can
 * be SIGKILLed ({@link #kill}) and started again on its data ({@link #start(int)}).
 *
 * <p>Lean for a 2-core machine: 256 MiB heaps, the serial collector, the C1
 * compiler only, few threads, one token per node (evenly spaced), no JMX, no
 * fsync of system tables, fast gossip start. The server's jars come from the
 * {@code cassandra-server} module ({@code target/lib}); its path is the system
 * property {@code switchboard.cassandra.lib} (failsafe sets it), else found by
 * walking up from the working directory. Every node is killed when the JVM
 * that started it exits, however it exits short of SIGKILL.
 */
public final class CassandraRing implements AutoCloseable {
    public static final String DATACENTER = "datacenter1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);
    /** How long a starting node is launched again while its storage port is taken. */
    private static final Duration PORT_RELEASE = Duration.ofSeconds(90);
    private static final List<String> JPMS = List.of(
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED");

    private final int size;
    private final Path lib;
    private final String java;
    private final String heap;
    private final boolean fullJit;
    private final Path dir;
    private final int storagePort;
    private final int nativePort;
    private final Process[] processes;
    private boolean hints = true;
    private String paxosVariant = "v1";

    /** A ring of {@code size} nodes (1-3) with test settings; call {@link #start()}. */
    public CassandraRing(int size) {
        this(size, "256m", false);
    }

    /**
     * {@code heap} per node (e.g. {@code 256m}); {@code fullJit} adds the C2
     * compiler (benchmarks), off in tests where start time matters more.
     */
    public CassandraRing(int size, String heap, boolean fullJit) {
        if (size < 1 || size > 3) {
            throw new IllegalArgumentException("1-3 nodes, got " + size);
        }
        this.size = size;
        this.heap = heap;
        this.fullJit = fullJit;
        this.lib = findLib();
        this.java = findJava17();
        this.processes = new Process[size + 1];
        this.storagePort = freeOnEveryAddress(size);
        this.nativePort = freeOnEveryAddress(size);
        try {
            this.dir = Files.createTempDirectory("cassandra-ring-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * No hinted handoff (before {@link #start()}): a node that was down lacks what was written
     * meanwhile until a read or a repair gives it, so a test can see what reads write to replicas.
     */
    public CassandraRing withoutHints() {
        this.hints = false;
        return this;
    }

    /**
     * The nodes' {@code paxos_variant} (before {@link #start()}): {@code v1} unless set, as the store
     * needs (ADR 0011, "Paxos variant"); {@code v2} only to measure or reproduce what it does.
     */
    public CassandraRing withPaxosVariant(String variant) {
        if (!variant.equals("v1") && !variant.equals("v2")) {
            throw new IllegalArgumentException("paxos_variant v1 or v2, got " + variant);
        }
        this.paxosVariant = variant;
        return this;
    }

    /**
     * Starts the seed (node 1), then the others together once the seed gossips (none
     * bootstraps: the ring is new), and returns when each node sees all the others up.
     */
    public CassandraRing start() {
        try {
            long deadline = System.nanoTime() + PORT_RELEASE.toNanos();
            launch(1);
            awaitListening(1, storagePort);
            for (int i = 2; i <= size; i++) {
                launch(i);
            }
            for (int i = 1; i <= size; i++) {
                awaitUpRelaunching(i, deadline);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** Starts node {@code i} (again) on its data; returns once it serves CQL and sees the live nodes. */
    public void start(int i) {
        launch(i);
        awaitUpRelaunching(i, System.nanoTime() + PORT_RELEASE.toNanos());
    }

    /**
     * Waits for node {@code i} to be up. A node can exit right after it started listening on its storage
     * port, its log saying that the address "is in use by another process" (seen on a loaded machine, on a
     * first start and on a restart moments after a SIGKILL): it is launched again after a pause, until
     * {@code deadline}; any other exit fails at once.
     */
    private void awaitUpRelaunching(int i, long deadline) {
        while (true) {
            try {
                awaitUp(i);
                return;
            } catch (IllegalStateException e) {
                if (isRunning(i) || System.nanoTime() > deadline || !portWasTaken(i)) {
                    throw e;
                }
                processes[i] = null;
                try {
                    Thread.sleep(2_000); // nothing signals when the port is free again
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                launch(i);
            }
        }
    }

    /** Whether the node's last start failed because its address and port were taken. */
    private boolean portWasTaken(int i) {
        try {
            String text = Files.readString(log(i), StandardCharsets.UTF_8);
            int lastStart = text.lastIndexOf("JVM Arguments:");
            return lastStart >= 0 && text.indexOf("is in use by another process", lastStart) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL of node {@code i}: no drain, no flush, clients see the connection drop. */
    public void kill(int i) {
        Process p = processes[i];
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            processes[i] = null;
        }
    }

    public boolean isRunning(int i) {
        return processes[i] != null && processes[i].isAlive();
    }

    public int size() {
        return size;
    }

    public static String address(int i) {
        return "127.0.0." + i;
    }

    public int nativePort() {
        return nativePort;
    }

    /** {@code host:port} of every node's CQL port, comma-separated. */
    public String contactPoints() {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            out.add(address(i) + ":" + nativePort);
        }
        return String.join(",", out);
    }

    /** A {@code cassandra://} URI for {@code keyspace} with every node as a contact point. */
    public String uri(String keyspace) {
        return "cassandra://" + contactPoints() + "/" + keyspace + "?dc=" + DATACENTER;
    }

    /** The node's log (for failure messages). */
    public Path log(int i) {
        return dir.resolve("node" + i).resolve("system.log");
    }

    private void launch(int i) {
        if (isRunning(i)) {
            throw new IllegalStateException("node " + i + " is running");
        }
        Path node = dir.resolve("node" + i);
        try {
            Files.createDirectories(node);
            NodeConfig config = new NodeConfig(storagePort, nativePort, hints, paxosVariant);
            Files.writeString(node.resolve("cassandra.yaml"), config.yaml(i, node), StandardCharsets.UTF_8);
            Files.writeString(node.resolve("logback.xml"), NodeConfig.logback(node), StandardCharsets.UTF_8);
            List<String> cmd = new ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap, "-Xss256k",
                    "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-XX:ActiveProcessorCount=2",
                    "-XX:MaxDirectMemorySize=256m", "-Djdk.attach.allowAttachSelf=true"));
            if (!fullJit) {
                cmd.add("-XX:TieredStopAtLevel=1");
            }
            cmd.addAll(JPMS);
            cmd.addAll(List.of(
                    "-Dio.netty.tryReflectionSetAccessible=true",
                    "-Dcassandra.config=" + node.resolve("cassandra.yaml").toUri(),
                    "-Dlogback.configurationFile=" + node.resolve("logback.xml"),
                    "-Dcassandra-foreground=yes",
                    "-Dcassandra.logdir=" + node,
                    "-Dcassandra.storagedir=" + node,
                    // Test-only shortcuts: no gossip settling wait, short ring delay, no slow memtable
                    // overhead estimate at start. Not cassandra.unsafesystem: it keeps system tables out
                    // of the commit log, so a node SIGKILLed and started again (kill/start) would forget
                    // its Paxos promises (system.paxos) and every table created since it started, and
                    // fail reads with them.
                    "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                    "-Dcassandra.ring_delay_ms=3000",
                    "-Dcassandra.load_ring_state=false",
                    "-Dcassandra.consistent.rangemovement=false",
                    "-Dcassandra.memtable_row_overhead_computation_step=100",
                    "-Dcassandra.superuser_setup_delay_ms=0",
                    "-cp", node + ":" + lib + "/*",
                    "org.apache.cassandra.service.CassandraDaemon"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(node.resolve("stdout.log").toFile())).start();
            processes[i] = p;
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "cassandra-node-" + i + "-reaper"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Cassandra node " + i, e);
        }
    }

    private void awaitListening(int i, int port) {
        awaitNode(i, "listening on " + port, () -> listening(address(i), port));
    }

    private void awaitUp(int i) {
        awaitNode(i, "up", () -> listening(address(i), nativePort) && seesOthersUp(i, log(i)));
    }

    /**
     * Returns once {@code ready} holds for node {@code i} ({@code what} it is then, for the failure message);
     * fails at once, with the tail of its log, if the node exits, else after {@link #START_TIMEOUT}. A node
     * gives no signal but its port and its log: polled every 200 ms (a connect and a read of the log each).
     * Uncaught exceptions of other threads are not this wait's business: they do not fail it.
     */
    private void awaitNode(int i, String what, BooleanSupplier ready) {
        Path log = log(i);
        try {
            await("Cassandra node " + i + " " + what).atMost(START_TIMEOUT)
                    .pollInSameThread().dontCatchUncaughtExceptions()
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!isRunning(i)) {
                            throw new IllegalStateException("Cassandra node " + i + " exited; see " + log + "\n"
                                    + tail(log));
                        }
                        return ready.getAsBoolean();
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("Cassandra node " + i + " not " + what + " within " + START_TIMEOUT
                    + "; see " + log + "\n" + tail(log), e);
        }
    }

    /** Whether the node's log (since its last start) says every other running node is up. */
    private boolean seesOthersUp(int i, Path log) {
        String text;
        try {
            text = Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return false;
        }
        int lastStart = text.lastIndexOf("Cassandra version:");
        if (lastStart < 0) {
            return false;
        }
        String sinceStart = text.substring(lastStart);
        for (int j = 1; j <= size; j++) {
            if (j != i && isRunning(j) && !sinceStart.contains("/" + address(j) + ":" + storagePort + " is now UP")) {
                return false;
            }
        }
        return true;
    }

    private static boolean listening(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free on 127.0.0.1 through 127.0.0.{@code size}: each node binds its own address. */
    private static int freeOnEveryAddress(int size) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = FreePorts.next();
            boolean free = true;
            for (int i = 1; i <= size && free; i++) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(address(i), port));
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return port;
            }
        }
        throw new IllegalStateException("no port free on every ring address");
    }

    private static String tail(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.collect(Collectors.toList());
            return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log)";
        }
    }

    private static Path findLib() {
        String configured = System.getProperty("switchboard.cassandra.lib");
        if (configured != null && !configured.isBlank()) {
            return requireJars(Path.of(configured));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("cassandra-server").resolve("target").resolve("lib");
            if (Files.isDirectory(candidate)) {
                return requireJars(candidate);
            }
        }
        throw new IllegalStateException("Cassandra's jars not found: build the cassandra-server module"
                + " (./mvnw -pl cassandra-server generate-resources) or set -Dswitchboard.cassandra.lib");
    }

    private static Path requireJars(Path lib) {
        try (Stream<Path> jars = Files.list(lib)) {
            if (jars.noneMatch(j -> j.getFileName().toString().startsWith("cassandra-all-"))) {
                throw new IllegalStateException("no cassandra-all jar in " + lib);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lib.toAbsolutePath();
    }

    /** Cassandra 5.0 runs on JDK 11 or 17: {@code switchboard.cassandra.java}, else the system's JDK 17. */
    private static String findJava17() {
        String configured = System.getProperty("switchboard.cassandra.java");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String candidate : List.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
                "/usr/lib/jvm/java-17-openjdk-arm64/bin/java", "/usr/lib/jvm/temurin-17-jdk-amd64/bin/java")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("Cassandra 5.0 needs JDK 17: install openjdk-17-jre-headless"
                + " or set -Dswitchboard.cassandra.java=/path/to/java");
    }

    /** Kills every node and deletes the ring's directory. */
    @Override
    public void close() {
        for (int i = 1; i <= size; i++) {
            kill(i);
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A leftover temporary directory is harmless.
        }
    }
}
