package dev.switchboard.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testing.FreePorts;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switchboard loadgen} as a CI step, against a real edge process: the
 * exit code says whether the thresholds held, the last line says which did
 * not, and errors carry their reasons, which agree with the server's count.
 */
class LoadgenCiIT {
    static final String SECRET = "loadgen-ci-secret-0123456789abcdef0123456789";
    static final String API_KEY = "loadgen-ci-api-key-0123456789";

    @TempDir
    Path out;

    record Run(int code, String output) {
        String lastLine() {
            return output.lines().reduce((a, b) -> b).orElse("");
        }
    }

    /** A launcher process: the classes under test, the same JVM. */
    private static ProcessBuilder launcher(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "dev.switchboard.cli.Main"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    /** An edge node on free ports with {@code extra} flags; stopped by the caller. */
    private static final class Edge implements AutoCloseable {
        final int port = FreePorts.next();
        final int apiPort = FreePorts.next();
        final Process process;

        Edge(String... extra) throws Exception {
            List<String> args = new ArrayList<>(List.of("edge", "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--api-port", Integer.toString(apiPort), "--jwt-secret", SECRET, "--api-key", "platform:" + API_KEY, "--io-threads", "1"));
            args.addAll(List.of(extra));
            process = launcher(args).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                try (Socket s = new Socket("127.0.0.1", apiPort)) {
                    return true;
                }
            });
        }

        String target() {
            return "switchboard=ws://127.0.0.1:" + port + "/ws";
        }

        double metric(String name) throws Exception {
            HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + apiPort + "/metrics")).header("X-Api-Key", API_KEY).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(res.body());
            return m.find() ? Double.parseDouble(m.group(2)) : Double.NaN;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private Run loadgen(String... args) throws Exception {
        return loadgenWithSecret(SECRET, args);
    }

    private Run loadgenWithSecret(String secret, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("loadgen", "--jwt-secret", secret, "--io-threads", "1", "--out", out.toString()));
        all.addAll(List.of(args));
        Process p = launcher(all).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Run(p.exitValue(), output);
    }

    private JsonNode summary() throws IOException {
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    }

    private static String[] fanout(Edge edge, String... more) {
        List<String> a = new ArrayList<>(List.of("--target", edge.target(), "--scenario", "fanout", "--connections", "20",
                "--channels", "2", "--publishers", "2", "--rate", "40", "--warmup", "200ms", "--duration", "1s", "--drain", "3s"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void thresholdsThatHoldExitZeroAndOneThatDoesNotExitsOneNamingIt() throws Exception {
        try (Edge edge = new Edge()) {
            Run ok = loadgen(fanout(edge, "--threshold", "delivered>=100%,p99<60s", "--threshold", "error_rate==0%"));
            assertEquals(0, ok.code(), ok.output());
            assertEquals("loadgen: PASSED (exit 0): 4 of 4 thresholds met", ok.lastLine());
            assertTrue(summary().path("passed").asBoolean());
            assertTrue(summary().path("environment").path("build").asText().startsWith("switchboard "), "the build is in the report");

            Run failed = loadgen(fanout(edge, "--threshold", "max<1us"));
            assertEquals(1, failed.code(), failed.output());
            assertTrue(failed.lastLine().startsWith("loadgen: FAILED (exit 1): 1 of 2 thresholds not met: max<1us (switchboard: "),
                    failed.lastLine());
            assertTrue(failed.output().lines().anyMatch(l -> l.matches("\\s+FAILED\\s+max<1us\\s+switchboard\\s+[0-9.]+ms")), failed.output());
        }
    }

    @Test
    void refusedUpgradesAreCountedWithTheirStatusAsTheServerCountsThem() throws Exception {
        try (Edge edge = new Edge("--max-connections-per-ip", "8")) {
            Run run = loadgen("--target", edge.target(), "--scenario", "idle", "--connections", "20", "--duration", "500ms");
            assertEquals(1, run.code(), "connect_failures==0 applies by default: " + run.output());
            assertTrue(run.lastLine().contains("connect_failures==0 (switchboard: 12)"), run.lastLine());
            JsonNode t = summary().path("targets").get(0);
            assertEquals(12, t.path("errors").path("handshake").asLong());
            assertEquals("HTTP 429 Too Many Requests", t.path("error_reasons").get(0).path("reason").asText());
            assertEquals(12, t.path("error_reasons").get(0).path("count").asLong());
            assertEquals(12, edge.metric("switchboard_edge_handshakes_rejected_total"), "loadgen and the server agree");
            assertTrue(run.output().contains("[handshake: HTTP 429 Too Many Requests ×12]"), "the progress line names the reason");
        }
    }

    @Test
    void aWrongSecretFailsEveryHandshakeWithItsReason() throws Exception {
        try (Edge edge = new Edge()) {
            Run run = loadgenWithSecret("another-secret-0123456789abcdef0123456789", "--target", edge.target(), "--scenario", "idle",
                    "--connections", "5", "--duration", "200ms");
            assertEquals(1, run.code(), run.output());
            JsonNode reason = summary().path("targets").get(0).path("error_reasons").get(0);
            assertEquals("HTTP 401 Unauthorized", reason.path("reason").asText());
            assertEquals(5, reason.path("count").asLong());
        }
    }

    @Test
    void theServerClosingAConnectionIsOneErrorWithItsCloseCode() throws Exception {
        // Two commands a second at most: the publishers (20/s each, fire-and-forget) are disconnected with 4008.
        try (Edge edge = new Edge("--command-rate", "2", "--command-burst", "4")) {
            Run run = loadgen(fanout(edge, "--threshold", "errors==0"));
            assertEquals(1, run.code(), run.output());
            JsonNode t = summary().path("targets").get(0);
            List<String> reasons = new ArrayList<>();
            t.path("error_reasons").forEach(r -> reasons.add(r.path("kind").asText() + ": " + r.path("reason").asText()));
            assertTrue(reasons.contains("closed: disconnect 4008 over 2 commands per second"), reasons.toString());
            assertTrue(reasons.contains("send: publisher connection closed"), reasons.toString());
            assertEquals(2, t.path("errors").path("closed").asLong(), "each publisher closed once, counted once: " + reasons);
        }
    }

    @Test
    void badOptionsExitTwo() throws Exception {
        Run run = loadgen("--threshold", "p99 50ms");
        assertEquals(2, run.code(), run.output());
        assertTrue(run.output().contains("expected METRIC OP VALUE"), run.output());
    }
}
