package dev.switchboard.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.loadgen.net.SourceAddresses;
import dev.switchboard.loadgen.run.WorkerLauncher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LoadgenCommandTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private static LoadgenOptions parse(String... args) {
        LoadgenCommand cmd = new LoadgenCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.options();
    }

    @Test
    void helpDescribesEveryVisibleOption() {
        StringWriter text = new StringWriter();
        CommandLine cl = new CommandLine(new LoadgenCommand());
        cl.setOut(new PrintWriter(text));
        assertEquals(0, cl.execute("--help"));
        for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
            if (!o.hidden()) {
                assertTrue(o.description().length > 0 && !o.description()[0].isBlank(), o.longestName());
                assertTrue(text.toString().contains(o.longestName()), o.longestName());
            }
        }
    }

    @Test
    void defaultsToAnIdleRunAgainstLocalSwitchboard() {
        LoadgenOptions o = parse("--jwt-secret", SECRET);
        assertEquals(ScenarioName.IDLE, o.scenario());
        assertEquals(List.of(LoadgenOptions.DEFAULT_TARGET), o.targets());
        assertEquals(LoadgenOptions.DEFAULT_CONNECTIONS, o.connections());
        assertEquals(Duration.ofSeconds(10), o.duration());
        assertEquals(1, o.effectiveWorkers());
    }

    @Test
    void spreadsConnectionsOverWorkersPastTheFileLimit() {
        LoadgenOptions o = parse("--jwt-secret", SECRET, "--connections", "50000", "--publishers", "10");
        assertEquals(3, o.effectiveWorkers());
        assertEquals(5, parse("--jwt-secret", SECRET, "--connections", "50000", "--workers", "5").effectiveWorkers());
    }

    @Test
    void rejectsInconsistentOptions() {
        assertThrows(IllegalArgumentException.class, () -> parse("--connections", "10"), "switchboard needs a secret");
        assertThrows(IllegalArgumentException.class, () -> parse("--jwt-secret", SECRET, "--payload-size", "4"));
        assertThrows(IllegalArgumentException.class, () -> parse("--jwt-secret", SECRET, "--source-addresses", "10.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> parse("--scenario", "fanout",
                "--target", "pusher=ws://127.0.0.1:6001/app/k"), "publishing to pusher needs app id and secret");
        assertThrows(IllegalArgumentException.class, () -> parse("--jwt-secret", SECRET, "--target", "switchboard=wss://x:1/ws"));
    }

    @Test
    void warmPassesAreCountedAndBadTargetsAreExplained() {
        assertEquals(0, parse("--jwt-secret", SECRET).warmPasses());
        assertEquals(2, parse("--jwt-secret", SECRET, "--warm-passes", "2").warmPasses());
        assertThrows(IllegalArgumentException.class, () -> parse("--jwt-secret", SECRET, "--warm-passes", "-1"));

        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new LoadgenCommand());
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("--jwt-secret", SECRET, "--target", "warmup=ws://127.0.0.1:8080/ws"));
        assertTrue(err.toString().contains("unknown protocol 'warmup'") && err.toString().contains("switchboard, pusher or uws"), err.toString());
    }

    @Test
    void publishersMayConnectToAnotherNodeInFanout() {
        LoadgenOptions o = parse("--jwt-secret", SECRET, "--scenario", "fanout",
                "--target", "switchboard=ws://127.0.0.1:8080/ws", "--publish-target", "ws://127.0.0.1:9080/ws");
        assertEquals(java.net.URI.create("ws://127.0.0.1:9080/ws"), o.publishTarget());
        assertEquals("ws://127.0.0.1:9080/ws", o.describe().get("publish-target"));
        assertTrue(WorkerLauncher.args(o, o.targets().get(0), 1, 2).contains("--publish-target=ws://127.0.0.1:9080/ws"),
                "workers publish to the same node");
        assertEquals(null, parse("--jwt-secret", SECRET, "--scenario", "fanout").publishTarget());
        assertThrows(IllegalArgumentException.class, () -> parse("--jwt-secret", SECRET, "--scenario", "idle",
                "--publish-target", "ws://127.0.0.1:9080/ws"), "only fanout has publishers");
        assertThrows(IllegalArgumentException.class, () -> parse("--jwt-secret", SECRET, "--scenario", "fanout",
                "--publish-target", "ws://127.0.0.1/ws"), "a port is needed");
        assertThrows(IllegalArgumentException.class, () -> parse("--scenario", "fanout", "--pusher-app-id", "a",
                "--pusher-secret", "s", "--target", "pusher=ws://127.0.0.1:6001/app/k",
                "--publish-target", "ws://127.0.0.1:9080/ws"), "pusher publishes over HTTP");
    }

    @Test
    void parsesSourceAddressRanges() {
        var a = SourceAddresses.parse("127.0.0.2-127.0.0.4, 127.0.1.255-127.0.2.0");
        assertEquals(List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.1.255", "127.0.2.0"),
                a.stream().map(x -> x.getHostAddress()).toList());
        assertThrows(IllegalArgumentException.class, () -> SourceAddresses.parse("127.0.0.9-127.0.0.2"));
    }

    @Test
    void parsesDurations() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("1.5m"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("PT10S"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("10 parsecs"));
        assertEquals(Duration.ofDays(7), Durations.parse("7d"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parse("500")).getMessage().contains("needs a unit"));
    }

    @Test
    void scenarioFileSuppliesOptionsAndTheCommandLineWins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fanout.properties");
        Files.writeString(file, """
                scenario = fanout
                connections = 2000
                rate = 500
                target = switchboard=ws://127.0.0.1:9000/ws, pusher=ws://127.0.0.1:6001/app/k
                pusher-app-id = app
                """);
        LoadgenCommand cmd = new LoadgenCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.parseArgs("--rate", "700");
        List<String> args = new ArrayList<>(ScenarioFile.args(file, cl.getCommandSpec(), Set.of("--rate")));
        args.addAll(List.of("--rate=700", "--jwt-secret=" + SECRET, "--pusher-secret=s"));
        LoadgenOptions o = parse(args.toArray(String[]::new));
        assertEquals(ScenarioName.FANOUT, o.scenario());
        assertEquals(2000, o.connections());
        assertEquals(700, o.rate());
        assertEquals(2, o.targets().size());
        assertEquals("app", o.pusherAppId());
        Files.writeString(file, "conections = 5\n");
        assertThrows(IllegalArgumentException.class, () -> ScenarioFile.args(file, cl.getCommandSpec(), Set.of()));
    }

    @Test
    void workerArgumentsReproduceTheParentsOptionsForOneTarget() {
        LoadgenOptions o = parse("--jwt-secret", SECRET, "--scenario", "storm", "--connections", "30000",
                "--duration", "3s", "--channels", "7", "--source-addresses", "127.0.0.2-127.0.0.3",
                "--target", "switchboard=ws://127.0.0.1:9000/ws");
        List<String> args = new ArrayList<>(WorkerLauncher.args(o, o.targets().get(0), 1, 2));
        assertTrue(args.stream().noneMatch(a -> a.contains(SECRET)), "secrets go through the environment");
        args.add("--jwt-secret=" + SECRET);
        LoadgenCommand worker = new LoadgenCommand();
        new CommandLine(worker).parseArgs(args.toArray(String[]::new));
        assertEquals(o.toString(), worker.options().toString().replace("workers=2", "workers=" + o.effectiveWorkers()));
        assertEquals(1, worker.workerSlice().index());
        assertEquals(2, worker.workerSlice().count());
        assertEquals(o.sourceAddresses(), worker.options().sourceAddresses());
    }
}
