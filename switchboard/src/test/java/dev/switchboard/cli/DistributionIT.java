package dev.switchboard.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.testing.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive that {@code package} builds (target/switchboard-VERSION.tar.gz), unpacked
 * far from the source tree and run with nothing but a JDK: it reports its build, and dev mode serves.
 */
class DistributionIT {
    static final BuildInfo BUILD = BuildInfo.current();

    @TempDir
    static Path dir;
    static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of("target", "switchboard-" + BUILD.version() + ".tar.gz");
        assertTrue(Files.isRegularFile(archive), "package builds " + archive);
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toAbsolutePath().toString(), "-C", dir.toString()).inheritIO().start();
        assertEquals(0, tar.waitFor());
        home = dir.resolve("switchboard-" + BUILD.version());
    }

    /** The launcher of the archive, with only a JDK on the PATH (no Maven, no sources next to it). */
    private static ProcessBuilder launcher(String... args) {
        return launcherIn(home, args);
    }

    private static ProcessBuilder launcherIn(Path root, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(root.resolve("bin/switchboard").toString()));
        cmd.addAll(List.of(args));
        return withOnlyAJdk(new ProcessBuilder(cmd));
    }

    private static ProcessBuilder withOnlyAJdk(ProcessBuilder pb) {
        pb.directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", dir.toString());
        return pb;
    }

    @Test
    void holdsTheLauncherTheJarsAndTheGuide() {
        assertTrue(Files.isExecutable(home.resolve("bin/switchboard")));
        assertTrue(Files.isRegularFile(home.resolve("lib/switchboard.jar")));
        assertTrue(Files.isRegularFile(home.resolve("lib/edge-server-" + BUILD.version() + ".jar")), "every module at the one version");
        assertTrue(Files.isRegularFile(home.resolve("docs/operations.md")));
        assertFalse(Files.exists(home.resolve("pom.xml")), "no sources");
    }

    @Test
    void printsItsVersionAndCommit() throws Exception {
        Process p = launcher("--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertEquals(BUILD.toString(), out.lines().findFirst().orElse(""), out);
        assertFalse(out.contains("building"), "runs the jars it holds: " + out);
        assertTrue(BUILD.version().matches("\\d+\\.\\d+\\.\\d+"), "a release version: " + BUILD.version());
        if (Files.exists(Path.of("..", ".git"))) {
            assertNotEquals("unknown", BUILD.commit(), "built from a git checkout");
        }
        Process sub = launcher("edge", "--version").redirectErrorStream(true).start();
        String subOut = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, sub.waitFor(), subOut);
        assertEquals(BUILD.toString(), subOut.lines().findFirst().orElse(""), "a subcommand (as the images run) too");
    }

    /**
     * A distribution unpacked over an older one keeps the older jars in lib/, and {@code lib/*} would put both
     * versions of a library on the classpath: the launcher names them and starts nothing.
     */
    @Test
    void refusesALibThatHoldsTwoVersionsOfALibrary() throws Exception {
        Path other = dir.resolve("unpacked-over-an-older-one");
        Files.createDirectories(other.resolve("bin/lib"));
        Files.createDirectories(other.resolve("lib"));
        for (String script : List.of("switchboard", "lib/java-home.sh", "lib/aot.sh")) {
            Files.copy(home.resolve("bin").resolve(script), other.resolve("bin").resolve(script), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path transport = null;
        try (var jars = Files.list(home.resolve("lib"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.createSymbolicLink(other.resolve("lib").resolve(jar.getFileName()), jar);
                if (jar.getFileName().toString().matches("netty-transport-\\d.*\\.jar")) {
                    transport = jar;
                }
            }
        }
        assertNotNull(transport, "the distribution holds Netty's transport");
        String version = transport.getFileName().toString().replaceAll("^netty-transport-|\\.jar$", "");

        Process same = launcherIn(other, "--version").redirectErrorStream(true).start();
        String sameOut = new String(same.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, same.waitFor(), "the same jars, each once, start: " + sameOut);

        Files.createSymbolicLink(other.resolve("lib/netty-transport-4.1.0.Final.jar"), transport);
        Process mixed = launcherIn(other, "--version").redirectErrorStream(true).start();
        String out = new String(mixed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, mixed.waitFor(), out);
        assertTrue(out.contains("netty-transport (") && out.contains("4.1.0.Final") && out.contains(version), out);
        assertTrue(out.contains("unpack it into an empty directory"), out);
        assertFalse(out.contains(BUILD.toString()), "started nothing: " + out);
    }

    @Test
    void runsTheWholeSystemInDevModeAndStopsOnSigterm() throws Exception {
        int port = FreePorts.next();
        Path log = dir.resolve("dev.log");
        Process dev = launcher("dev", "--port", Integer.toString(port), "--data", dir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).timeout(Duration.ofSeconds(2)).build();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> dev.isAlive() && http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                            || !dev.isAlive());
            assertTrue(dev.isAlive(), () -> "dev mode exited: " + read(log));
            dev.destroy();
            assertTrue(dev.waitFor(30, TimeUnit.SECONDS), "SIGTERM stops it");
            assertTrue(read(log).contains("Switchboard dev is running"), read(log));
        } finally {
            dev.destroyForcibly();
        }
    }

    /**
     * The edge's ahead-of-time cache (JDK 25+, bin/lib/aot.sh): trained under an open-files limit below a
     * round of the training, it opens the same connections in more, smaller rounds; an edge the launcher
     * starts then maps it and compiles eagerly what the training compiled.
     */
    @Test
    void trainsTheEdgesCacheWithinTheOpenFilesLimitAndStartsTheEdgeWithIt() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "an ahead-of-time cache needs JDK 25+");
        Path trainingLog = dir.resolve("aot-training.out");
        // 2 x 400 connections where a process may open 600 files: rounds of 600 - 256 = 344, three of them.
        ProcessBuilder training = withOnlyAJdk(new ProcessBuilder("bash", "-c",
                "ulimit -Sn 600 && ulimit -Hn 600 && exec \"$0\" aot-cache", home.resolve("bin/switchboard").toString()));
        training.environment().put("SWITCHBOARD_AOT_TRAINING_CONNECTIONS", "400");
        Process train = training.redirectErrorStream(true).redirectOutput(trainingLog.toFile()).start();
        assertTrue(train.waitFor(4, TimeUnit.MINUTES), "the training ends");
        assertEquals(0, train.exitValue(), () -> read(trainingLog) + read(home.resolve("lib/edge.aot.log")));
        Path cache = home.resolve("lib/edge.aot");
        assertTrue(Files.size(cache) > 1_000_000, "a cache in lib/: " + read(trainingLog));
        String log = read(home.resolve("lib/edge.aot.log"));
        assertTrue(log.contains("connections=344,") && log.contains("rounds=3,"), "smaller rounds within the limit: " + log);
        assertTrue(log.contains("loadgen: PASSED"), log);
        assertEquals(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+AOTCompileEagerly"),
                Files.readAllLines(home.resolve("lib/edge.aot.opts")), "JDK 25 has eager compilation");

        // A line someone else put in the options file is not passed on to the JVM.
        Files.writeString(home.resolve("lib/edge.aot.opts"), "-XX:OnOutOfMemoryError=touch /tmp/injected\n", java.nio.file.StandardOpenOption.APPEND);

        int port = FreePorts.next();
        Path edgeLog = dir.resolve("edge-aot.log");
        Process edge = launcher("edge", "--host", "127.0.0.1", "--port", Integer.toString(port), "--api-port", Integer.toString(FreePorts.next()),
                "--node-id", "dist-aot", "--jwt-secret", "distribution-test-secret-0123456789abcdef")
                .redirectErrorStream(true).redirectOutput(edgeLog.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                if (!edge.isAlive()) {
                    return true;
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    return true;
                }
            });
            assertTrue(edge.isAlive(), () -> "the edge exited: " + read(edgeLog));
            // The launcher execs java: the process is the JVM, its command line what the launcher gave it.
            String cmdline = Files.readString(Path.of("/proc", Long.toString(edge.pid()), "cmdline")).replace('\0', ' ');
            assertTrue(cmdline.contains("-XX:AOTCache=" + cache), cmdline);
            assertTrue(cmdline.contains("-XX:+AOTCompileEagerly"), cmdline);
            assertFalse(cmdline.contains("OnOutOfMemoryError"), cmdline);
            assertFalse(read(edgeLog).contains("[aot]"), () -> "the JVM took the cache without complaint: " + read(edgeLog));
        } finally {
            edge.destroy();
            edge.waitFor(30, TimeUnit.SECONDS);
            edge.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
