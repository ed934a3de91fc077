package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testing.FreePorts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees when a server cannot start, from the launcher as a
 * process: one line that names the flag, variable or configuration key, the
 * value and the fix; exit 2 for a wrong value, 1 for an outside failure; a stack
 * trace only with {@code --debug}; a JSON log event with JSON logs.
 */
class StartupFailuresIT {
    static final String SECRET = "--jwt-secret=startup-failures-secret-0123456789abcdef";

    @TempDir
    Path dir;

    record Run(int code, String output) {
        List<String> lines() {
            return output.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static Run launch(Map<String, String> env, List<String> jvm, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        // As bin/switchboard and the images run it: without these the JDK warns on stderr about Netty's native access.
        cmd.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.switchboard.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("SWITCHBOARD_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "exits by itself");
        return new Run(p.exitValue(), out);
    }

    private static Run launch(String... args) throws Exception {
        return launch(Map.of(), List.of(), args);
    }

    private static void oneLine(Run run, int code, String expected) {
        assertEquals(code, run.code(), run.output());
        assertEquals(1, run.lines().size(), "one line, no usage, no stack trace:\n" + run.output());
        assertEquals(expected, run.lines().get(0));
    }

    @Test
    void aValueOutOfRangeNamesTheFlagOrTheKeyOrTheVariable() throws Exception {
        oneLine(launch("edge", "--max-outbound-bytes", "-5", SECRET), 2,
                "switchboard edge: --max-outbound-bytes must be >= 65536: -5 (see 'switchboard edge --help')");
        Path config = dir.resolve("switchboard.yaml");
        Files.writeString(config, "edge:\n  max-outbound-bytes: -5\n");
        oneLine(launch("edge", "--config", config.toString(), SECRET), 2,
                "switchboard edge: configuration file " + config + ": edge.max-outbound-bytes: must be >= 65536: -5 "
                        + "(see 'switchboard edge --help')");
        Run env = launch(Map.of("SWITCHBOARD_REDIS", "http://redis:6379"), List.of(), "edge", SECRET);
        assertEquals(2, env.code(), env.output());
        assertEquals(1, env.lines().size(), env.output());
        assertTrue(env.lines().get(0).startsWith("switchboard edge: --redis: unknown broker spec"), env.output());
        assertTrue(env.lines().get(0).contains("(from $SWITCHBOARD_REDIS)"), env.output());
    }

    @Test
    void anUnknownPersonalChannelModeNamesTheModesThereAre() throws Exception {
        String modes = "(one of users, users-dual, buckets-dual, buckets)";
        oneLine(launch("messages", "--personal-channels", "bucket", "--db", "jdbc:postgresql://127.0.0.1:1/none", SECRET), 2,
                "switchboard messages: --personal-channels: unknown personal channel mode 'bucket' " + modes
                        + " (see 'switchboard messages --help')");
        Run env = launch(Map.of("SWITCHBOARD_PERSONAL_CHANNELS", "user"), List.of(), "edge", SECRET);
        oneLine(env, 2, "switchboard edge: --personal-channels: unknown personal channel mode 'user' " + modes
                + " (from $SWITCHBOARD_PERSONAL_CHANNELS) (see 'switchboard edge --help')");
    }

    @Test
    void aRedisThatIsNotThereIsNamedWithItsFlag() throws Exception {
        int port = FreePorts.next();
        oneLine(launch("edge", "--redis", "redis://127.0.0.1:" + port, "--api-port", "-1", SECRET), 1,
                "switchboard edge: cannot connect to Redis at redis://127.0.0.1:" + port + " (--redis): Connection refused; "
                        + "check that Redis runs there and that the address is right");
    }

    @Test
    void aDatabaseThatIsNotThereIsNamedWithItsPasswordMasked() throws Exception {
        int port = FreePorts.next();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/sb?user=sb&password=hunter2hunter2";
        Run run = launch(Map.of("SWITCHBOARD_DB_URL", url), List.of(), "messages", SECRET);
        oneLine(run, 1, "switchboard messages: cannot connect to the database at jdbc:postgresql://127.0.0.1:" + port
                + "/sb?user=sb&password=*** (--db, from $SWITCHBOARD_DB_URL): Connection refused; check that the database runs there "
                + "and the URL's host, port, database name, user and password");
        assertFalse(run.output().contains("hunter2"));
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run run = launch("edge", "--host", "127.0.0.1", "--port", Integer.toString(port), "--api-port", "-1", SECRET);
            assertEquals(1, run.code(), run.output());
            assertEquals(1, run.lines().size(), run.output());
            assertTrue(run.lines().get(0).startsWith("switchboard edge: cannot listen on 127.0.0.1:" + port + " (--port): "), run.output());
            assertTrue(run.lines().get(0).endsWith("Address already in use; stop what uses the port or choose another"), run.output());
        }
    }

    @Test
    void debugAddsTheStackTrace() throws Exception {
        int port = FreePorts.next();
        Run run = launch("edge", "--redis", "redis://127.0.0.1:" + port, "--api-port", "-1", SECRET, "--debug");
        assertEquals(1, run.code());
        assertTrue(run.lines().get(0).startsWith("switchboard edge: cannot connect to Redis"), run.output());
        assertTrue(run.lines().size() > 5 && run.output().contains("\tat "), run.output());
    }

    @Test
    void withJsonLogsTheFailureIsAnEcsLogEvent() throws Exception {
        int port = FreePorts.next();
        Run run = launch(Map.of(), List.of("-Dswitchboard.log.format=json"),
                "edge", "--redis", "redis://127.0.0.1:" + port, "--api-port", "-1", SECRET, "--debug");
        assertEquals(1, run.code(), run.output());
        assertEquals(1, run.lines().size(), "one JSON line, the stack trace inside it:\n" + run.output());
        JsonNode event = new ObjectMapper().readTree(run.lines().get(0));
        assertTrue(event.path("@timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"), event.toString());
        assertEquals("ERROR", event.path("log.level").asText());
        assertEquals("dev.switchboard.cli.Main", event.path("log.logger").asText());
        assertEquals("switchboard-edge", event.path("service.name").asText());
        assertEquals(BuildInfo.current().version(), event.path("service.version").asText());
        assertTrue(event.path("message").asText().startsWith("switchboard edge: cannot connect to Redis at redis://127.0.0.1:" + port),
                event.toString());
        assertFalse(event.path("error.type").asText().isEmpty(), event.toString());
        assertTrue(event.path("error.stack_trace").asText().contains("\tat "), event.toString());
    }

    @Test
    void aTypoGetsASuggestionAndExitsTwo() throws Exception {
        oneLine(launch("edge", "--heartbaet", "5s"), 2, "switchboard edge: unknown option or argument '--heartbaet'; did you mean --heartbeat?");
    }
}
