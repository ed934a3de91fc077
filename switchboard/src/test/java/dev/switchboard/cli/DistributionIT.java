package dev.switchboard.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        List<String> cmd = new java.util.ArrayList<>(List.of(home.resolve("bin/switchboard").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
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

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
