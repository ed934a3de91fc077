package dev.switchboard.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.loadgen.check.Threshold;
import dev.switchboard.loadgen.run.WorkerLauncher;
import dev.switchboard.testing.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small, bounded runs of every loopback path against an in-process stand-in server. */
class LoadgenRunIT {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static FakeSwitchboardServer server;
    private static FakeUwsServer uws;
    private static int port;
    private static int uwsPort;

    @BeforeAll
    static void start() throws Exception {
        port = FreePorts.next();
        server = new FakeSwitchboardServer(port);
        uwsPort = FreePorts.next();
        uws = new FakeUwsServer(uwsPort);
    }

    @AfterAll
    static void stop() {
        server.close();
        uws.close();
    }

    private LoadgenOptions.Builder small(ScenarioName s, Path out) {
        return LoadgenOptions.builder().scenario(s).jwtSecret(SECRET)
                .targets(List.of(Target.parse("switchboard=ws://127.0.0.1:" + port + "/ws")))
                .connections(40).rampRate(400).channels(4).publishers(2).rate(200)
                .warmup(Duration.ofMillis(200)).duration(Duration.ofSeconds(1)).drain(Duration.ofSeconds(30))
                .timeout(Duration.ofSeconds(60)).eventLoops(1).outDir(out);
    }

    private static JsonNode run(LoadgenOptions o) throws Exception {
        return run(o, LoadgenRun.EXIT_PASSED).path("targets").get(0);
    }

    private static JsonNode run(LoadgenOptions o, int expectedCode) throws Exception {
        return run(o, expectedCode, new ByteArrayOutputStream());
    }

    private static JsonNode run(LoadgenOptions o, int expectedCode, ByteArrayOutputStream text) throws Exception {
        WorkerLauncher launcher = new WorkerLauncher(Path.of(System.getProperty("java.home"), "bin", "java"),
                System.getProperty("java.class.path"), List.of());
        int code = new LoadgenRun(o, new PrintStream(text, true, StandardCharsets.UTF_8), launcher).run();
        String output = text.toString(StandardCharsets.UTF_8);
        assertEquals(expectedCode, code, output);
        JsonNode summary = new ObjectMapper().readTree(o.outDir().resolve("summary.json").toFile());
        assertEquals(output.lines().reduce((a, b) -> b).orElse(""), "loadgen: " + summary.path("outcome").asText(), "the last line is the outcome");
        return summary;
    }

    @Test
    void fanoutDeliversEveryPublicationToEverySubscriberAndWritesAllReports(@TempDir Path out) throws Exception {
        JsonNode t = run(small(ScenarioName.FANOUT, out).build());
        long expected = t.path("results").path("expected_deliveries").asLong();
        assertEquals(240, t.path("counters").path("sent").asLong(), "200/s for 1.2 s");
        assertEquals(240 * 10, expected, "each channel has 10 of the 40 subscribers");
        assertEquals(expected, t.path("counters").path("delivered").asLong());
        assertTrue(t.path("latency_us").path("count").asLong() >= 1_900, "warmup deliveries are not recorded");
        assertEquals(0, t.path("errors").path("send").asLong() + t.path("errors").path("closed").asLong());
        for (String f : List.of("summary.json", "summary.txt", "latency.hlog", "report.html")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        // The measured window: after the 200 ms warmup, for 1 s, apart from ramp and drain.
        assertEquals(1.0, t.path("results").path("steady_seconds").asDouble());
        assertTrue(t.path("counters").path("steady_sent_per_s").asDouble() > 0);
        assertTrue(t.path("counters").path("steady_delivered_per_s").asDouble() > 0);
        assertTrue(t.path("series").size() >= 2, "a sample a second");
    }

    @Test
    void thresholdsThatHoldPassAndOnesThatDoNotFailWithExitOne(@TempDir Path out) throws Exception {
        JsonNode passed = run(small(ScenarioName.FANOUT, out).thresholds(List.of(Threshold.parse("delivered>=100%"),
                Threshold.parse("p99<60s"), Threshold.parse("error_rate<=0%"))).build(), LoadgenRun.EXIT_PASSED);
        assertEquals(4, passed.path("thresholds").size(), "three given, and connect_failures==0");
        JsonNode failed = run(small(ScenarioName.FANOUT, out).thresholds(List.of(Threshold.parse("max<1us"))).build(),
                LoadgenRun.EXIT_THRESHOLDS_FAILED);
        assertTrue(failed.path("outcome").asText().startsWith("FAILED (exit 1): 1 of 2 thresholds not met: max<1us (switchboard: "),
                failed.path("outcome").asText());
    }

    @Test
    void aClosedPortFailsTheRunAndSaysWhy(@TempDir Path out) throws Exception {
        int closed = FreePorts.next();
        JsonNode summary = run(small(ScenarioName.IDLE, out).duration(Duration.ofMillis(100))
                .targets(List.of(Target.parse("switchboard=ws://127.0.0.1:" + closed + "/ws"))).build(), LoadgenRun.EXIT_THRESHOLDS_FAILED);
        JsonNode t = summary.path("targets").get(0);
        assertEquals(0, t.path("counters").path("ready").asLong());
        assertEquals(40, t.path("errors").path("connect").asLong());
        assertEquals("Connection refused", t.path("error_reasons").get(0).path("reason").asText());
        assertEquals(40, t.path("error_reasons").get(0).path("count").asLong());
        assertTrue(summary.path("outcome").asText().contains("connect_failures==0 (switchboard: 40)"), summary.path("outcome").asText());
    }

    @Test
    void publishersConnectToThePublishTarget(@TempDir Path out) throws Exception {
        // The stand-ins share no broker: publications reach only subscribers of the node they were sent to.
        int otherPort = FreePorts.next();
        try (FakeSwitchboardServer other = new FakeSwitchboardServer(otherPort)) {
            JsonNode t = run(small(ScenarioName.FANOUT, out).drain(Duration.ofSeconds(1))
                    .publishTarget(java.net.URI.create("ws://127.0.0.1:" + otherPort + "/ws")).build());
            assertEquals(240, t.path("counters").path("sent").asLong());
            assertEquals(2400, t.path("results").path("expected_deliveries").asLong());
            assertEquals(0, t.path("counters").path("delivered").asLong(), "publishers were on the other node");
            assertEquals(40, t.path("results").path("subscribers").asLong());
        }
    }

    @Test
    void idleOpensAndHoldsEveryConnection(@TempDir Path out) throws Exception {
        JsonNode t = run(small(ScenarioName.IDLE, out).duration(Duration.ofMillis(300))
                .sourceAddresses(dev.switchboard.loadgen.net.SourceAddresses.parse("127.0.0.2-127.0.0.3")).build());
        assertEquals(40, t.path("results").path("connected").asLong());
        assertEquals(40, t.path("results").path("held_at_end").asLong());
        assertEquals(40, t.path("handshake_us").path("count").asLong());
        assertTrue(t.path("results").path("connect_rate_per_s").asDouble() > 0);
    }

    @Test
    void stormReconnectsEveryClient(@TempDir Path out) throws Exception {
        JsonNode t = run(small(ScenarioName.STORM, out).duration(Duration.ofMillis(200)).build());
        assertEquals(40, t.path("results").path("reconnected").asLong());
        assertEquals(40, t.path("results").path("resubscribed").asLong());
        assertEquals(80, t.path("counters").path("subscribed").asLong());
        assertTrue(t.path("results").path("recovery_seconds").asDouble() > 0);
    }

    @Test
    void workerProcessesShareTheRunAndTheParentMergesTheirHistograms(@TempDir Path out) throws Exception {
        // A worker's subscribers also get the other worker's publications: the parent ends the drain once the
        // summed deliveries reach the summed expected ones, long before this drain. Two worker JVMs start on a
        // loaded machine in tens of seconds (58 s for the whole test at load 20, where a 60 s run timeout cut a CI
        // run): the timeout bounds a hang, it does not time the run.
        Duration drain = Duration.ofSeconds(60);
        JsonNode t = run(small(ScenarioName.FANOUT, out).workers(2).drain(drain)
                .timeout(Duration.ofMinutes(4)).build());
        double drained = t.path("results").path("drain_seconds").asDouble(-1);
        assertTrue(drained >= 0 && drained < drain.toSeconds(), "the drain ended before its timeout: " + drained + " s");
        assertEquals(t.path("results").path("expected_deliveries").asLong(), t.path("counters").path("delivered").asLong());
        assertEquals(240, t.path("counters").path("sent").asLong());
        assertTrue(t.path("latency_us").path("count").asLong() >= 1_900);
        assertEquals(40, t.path("results").path("subscribers").asLong());
    }

    @Test
    void fanoutOverTheUwsMiniProtocolDeliversEveryPublication(@TempDir Path out) throws Exception {
        JsonNode t = run(small(ScenarioName.FANOUT, out)
                .targets(List.of(Target.parse("uws=ws://127.0.0.1:" + uwsPort + "/"))).build());
        assertEquals("uws", t.path("label").asText());
        assertEquals(240, t.path("counters").path("sent").asLong());
        assertEquals(2400, t.path("results").path("expected_deliveries").asLong());
        assertEquals(2400, t.path("counters").path("delivered").asLong());
        assertEquals(40, t.path("results").path("subscribers").asLong());
    }

    @Test
    void roundsOpenSubscribeAndCloseTheSameConnectionsAgainWithHandshakesInFlight(@TempDir Path out) throws Exception {
        long self = ProcessHandle.current().pid();
        JsonNode targets = run(small(ScenarioName.ROUNDS, out).rounds(3).connectConcurrency(5)
                .duration(Duration.ofMillis(100)).drain(Duration.ofMillis(100))
                .targets(List.of(Target.parse("switchboard=ws://127.0.0.1:" + port + "/ws"),
                        Target.parse("uws=ws://127.0.0.1:" + uwsPort + "/")))
                .serverPids(java.util.Map.of("switchboard", self, "uws", self)).build(), LoadgenRun.EXIT_PASSED).path("targets");
        assertEquals(2, targets.size());
        for (int i = 0; i < 2; i++) {
            JsonNode r = targets.get(i).path("results");
            for (int round = 1; round <= 3; round++) {
                assertEquals(40, r.path("round" + round + "_connected").asLong(), "round " + round + " of target " + i);
                assertEquals(0, r.path("round" + round + "_failed").asLong());
                assertTrue(r.path("round" + round + "_seconds").asDouble() > 0);
                assertTrue(r.path("round" + round + "_server_rss_held_bytes").asLong() > 0);
                assertTrue(r.has("round" + round + "_rss_per_connection_bytes"));
            }
            assertTrue(r.path("server_rss_start_bytes").asLong() > 0);
            assertEquals(120, targets.get(i).path("counters").path("subscribed").asLong());
        }
    }

    @Test
    void warmPassesGoToTheWarmTargetAndLeaveTheMeasuredOneFresh(@TempDir Path out) throws Exception {
        int freshPort = FreePorts.next();
        try (FakeUwsServer fresh = new FakeUwsServer(freshPort)) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            JsonNode t = run(small(ScenarioName.IDLE, out).duration(Duration.ofMillis(100)).warmPasses(1)
                    .warmTargets(List.of(Target.parse("uws=ws://127.0.0.1:" + uwsPort + "/")))
                    .targets(List.of(Target.parse("uws=ws://127.0.0.1:" + freshPort + "/"))).build(), LoadgenRun.EXIT_PASSED, text)
                    .path("targets").get(0);
            assertEquals(40, t.path("results").path("connected").asLong());
            String log = text.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("uws=ws://127.0.0.1:" + uwsPort + "/: warm-up pass 1 of 1"), log);
            assertTrue(!log.contains(freshPort + "/: warm-up"), log);
        }
    }
}
