package dev.switchboard.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.client.ClientResources;
import dev.switchboard.client.internal.RecordingListener;
import dev.switchboard.client.internal.WireConnection;
import dev.switchboard.testing.PostgresDatabase;
import dev.switchboard.testing.RedisServerProcess;
import dev.switchboard.wire.proto.Publication;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;

/**
 * {@code switchboard fleet --edges 2} as an operator runs it: the launcher in a
 * process of its own on a redis-server of the test's own and a throwaway
 * PostgreSQL database. A client placed by the balancer gets a chat message sent on
 * the other edge; SIGTERM to the fleet then stops it and every child it started.
 */
class FleetCommandIT {
    static final String SECRET = "fleet-command-it-secret-0123456789abcdef";
    static final String API_KEY = "fleet-command-it-key-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern STARTED = Pattern.compile("\\[fleet] started (\\S+) \\(pid (\\d+)\\)");

    @Test
    void startsTheFleetCarriesAMessageBetweenEdgesAndStopsEveryChildOnSigterm() throws Exception {
        try (RedisServerProcess redis = new RedisServerProcess().start(); PostgresDatabase pg = new PostgresDatabase();
             ClientResources clients = new ClientResources(1)) {
            int base = freeRange(36);
            String java = ProcessHandle.current().info().command().orElse("java");
            Process fleet = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "fleet", "--edges", "2", "--base-port", Integer.toString(base), "--redis", redis.uri(), "--db", pg.jdbcUrl(),
                    "--jwt-secret", SECRET, "--api-key", API_KEY, "--java-opts", "-Xmx256m -XX:TieredStopAtLevel=1")
                    .redirectErrorStream(true).start();
            List<String> output = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(fleet.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        output.add(line);
                    }
                } catch (IOException gone) {
                    // the fleet exited
                }
            });
            List<Long> children = new ArrayList<>();
            try {
                awaitLine(output, fleet, "are up (Ctrl-C stops them all)");
                for (String line : output) {
                    Matcher m = STARTED.matcher(line);
                    if (m.find()) {
                        children.add(Long.parseLong(m.group(2)));
                    }
                }
                assertEquals(4, children.size(), "message-service, two edges and a balancer: " + output);
                assertTrue(output.stream().anyMatch(l -> l.contains("API key") && l.contains(API_KEY)), "credentials printed");
                assertTrue(output.stream().anyMatch(l -> l.startsWith("[edge-1] ")), "children's lines are prefixed: " + output);

                carryAMessage(clients, base);
            } finally {
                // SIGTERM, as a service manager or kill(1) sends it (Process.destroy would also close our end of its output).
                fleet.toHandle().destroy();
                if (!fleet.waitFor(120, TimeUnit.SECONDS)) {
                    fleet.descendants().forEach(ProcessHandle::destroyForcibly);
                    fleet.destroyForcibly();
                    fail("the fleet did not stop within 120 s of SIGTERM: " + output);
                }
                reader.join(TimeUnit.SECONDS.toMillis(30)); // its last lines
            }
            for (long pid : children) {
                ProcessHandle.of(pid).ifPresent(p -> assertFalse(p.isAlive(), "child " + pid + " outlived the fleet: " + output));
            }
            assertTrue(output.stream().anyMatch(l -> l.contains("[fleet] stopped")), "the fleet said it stopped: " + output);
            assertTrue(output.stream().anyMatch(l -> l.startsWith("[edge-2] ") && l.contains("edge edge-2 stopped")),
                    "the children stopped gracefully, and their last lines were still copied: " + output);
        }
    }

    private static void carryAMessage(ClientResources clients, int base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String rest = "http://127.0.0.1:" + (base + 20);
        for (String user : List.of("alice", "bob")) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(rest + "/v1/users"))
                    .header("X-Api-Key", API_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"org\":\"acme\",\"id\":\"" + user + "\",\"name\":\"" + user + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
        }
        TokenIssuer tokens = new TokenIssuer(SECRET);
        String alice = tokens.issue("alice", "acme", Duration.ofMinutes(10));
        HttpResponse<String> group = http.send(HttpRequest.newBuilder(URI.create(rest + "/v1/channels"))
                .header("Authorization", "Bearer " + alice).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ops\",\"type\":\"GROUP\",\"members\":[\"bob\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, group.statusCode(), group.body());
        JsonNode g = JSON.readTree(group.body());
        String channel = "acme/chat/" + g.path("channel").path("id").asLong(g.path("id").asLong());

        // Alice asks the balancer where to connect; bob connects to the other edge.
        HttpResponse<String> placed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + base + "/v1/connect"))
                .header("Authorization", "Bearer " + alice).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, placed.statusCode(), placed.body());
        String aliceUrl = JSON.readTree(placed.body()).path("url").asText();
        String otherUrl = aliceUrl.contains(":" + (base + 30) + "/") ? "ws://127.0.0.1:" + (base + 32) + "/ws"
                : "ws://127.0.0.1:" + (base + 30) + "/ws";
        RecordingListener aliceInbox = new RecordingListener();
        WireConnection aliceWs = WireConnection.builder(URI.create(aliceUrl), alice).resources(clients).listener(aliceInbox)
                .connect().get(30, TimeUnit.SECONDS);
        aliceWs.hello().get(60, TimeUnit.SECONDS);
        WireConnection bobWs = WireConnection.builder(URI.create(otherUrl), tokens.issue("bob", "acme", Duration.ofMinutes(10)))
                .resources(clients).connect().get(30, TimeUnit.SECONDS);
        bobWs.hello().get(60, TimeUnit.SECONDS);
        bobWs.publish(channel, "{\"text\":\"hello from the other edge\"}".getBytes(StandardCharsets.UTF_8), "m-1").get(30, TimeUnit.SECONDS);
        Publication p = aliceInbox.nextPublication(Duration.ofSeconds(30));
        assertNotNull(p, "alice (placed by the balancer on " + aliceUrl + ") got bob's message sent on " + otherUrl);
        assertEquals(channel, p.getChannel());
        aliceWs.close();
        bobWs.close();
    }

    private static void awaitLine(List<String> output, Process fleet, String marker) {
        try {
            await("the fleet is up").atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(200))
                    .failFast("the fleet exited before it was up", () -> !fleet.isAlive())
                    .until(() -> output.stream().anyMatch(l -> l.contains(marker)));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            fail(e.getMessage() + (fleet.isAlive() ? "" : " (exit code " + fleet.exitValue() + ")") + ": " + output, e);
        }
    }

    /** A base port whose next {@code n} ports are free on loopback now. */
    private static int freeRange(int n) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            boolean free = true;
            for (int p = base; p < base + n && free; p++) {
                try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                    s.setReuseAddress(true);
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no free range of " + n + " ports");
    }
}
