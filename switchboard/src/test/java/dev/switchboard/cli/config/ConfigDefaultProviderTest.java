package dev.switchboard.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigDefaultProviderTest {
    private static final String EDGE = """
            edge:
              port: 9100
              api-port: -1
              heartbeat: 5s
              redis: redis://file:6379
              api-key: [platform:0123456789abcdef0, "org:acme:fedcba98765432100"]
            messages:
              db: jdbc:postgresql://db:5432/switchboard
              db-pool-size: 4
            dev:
              no-demo: true
            """;

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** Parses the arguments with the given environment and returns the chosen subcommand. */
    private static CommandLine parse(Map<String, String> env, String... args) {
        CommandLine root = Main.commandLine(env::get);
        CommandLine.ParseResult result = root.parseArgs(args);
        return result.subcommand().commandSpec().commandLine();
    }

    private static Object value(CommandLine command, String option) {
        return command.getCommandSpec().findOption(option).getValue();
    }

    @Test
    void fileValuesApplyToOptionsNotGivenAsFlags() throws IOException {
        CommandLine edge = parse(Map.of(), "edge", "--config", write(EDGE).toString());
        assertEquals(9100, value(edge, "--port"));
        assertEquals(-1, value(edge, "--api-port"));
        assertEquals(Duration.ofSeconds(5), value(edge, "--heartbeat"));
        assertEquals("redis://file:6379", value(edge, "--redis"));
        assertEquals(List.of("platform:0123456789abcdef0", "org:acme:fedcba98765432100"), value(edge, "--api-key"));
        assertEquals(Duration.ofSeconds(60), value(edge, "--idle-timeout"), "options missing from the file keep their defaults");
    }

    @Test
    void flagsWinOverTheFile() throws IOException {
        CommandLine edge = parse(Map.of(), "edge", "--config", write(EDGE).toString(), "--port", "9200", "--heartbeat", "7s");
        assertEquals(9200, value(edge, "--port"));
        assertEquals(Duration.ofSeconds(7), value(edge, "--heartbeat"));
    }

    @Test
    void environmentWinsOverTheFileButNotOverFlags() throws IOException {
        Path file = write(EDGE);
        Map<String, String> env = Map.of("SWITCHBOARD_REDIS", "redis://env:6379");
        assertEquals("redis://env:6379", value(parse(env, "edge", "--config", file.toString()), "--redis"));
        assertEquals("redis://flag:6379",
                value(parse(env, "edge", "--config", file.toString(), "--redis", "redis://flag:6379"), "--redis"));
        assertEquals("redis://file:6379", value(parse(Map.of("SWITCHBOARD_REDIS", " "), "edge", "--config", file.toString()), "--redis"),
                "a blank variable counts as unset");
    }

    @Test
    void theFileCanComeFromTheEnvironment() throws IOException {
        CommandLine edge = parse(Map.of("SWITCHBOARD_CONFIG", write(EDGE).toString()), "edge");
        assertEquals(9100, value(edge, "--port"));
    }

    @Test
    void eachCommandReadsItsOwnSection() throws IOException {
        Path file = write(EDGE);
        CommandLine messages = parse(Map.of(), "messages", "--config", file.toString());
        assertEquals("jdbc:postgresql://db:5432/switchboard", value(messages, "--db"), "a required option may come from the file");
        assertEquals(4, value(messages, "--db-pool-size"));
        assertEquals(8090, value(messages, "--port"));
        assertEquals(true, value(parse(Map.of(), "dev", "--config", file.toString()), "--no-demo"));
    }

    @Test
    void withoutAFileNothingChanges() {
        CommandLine edge = parse(Map.of(), "edge");
        assertEquals(8080, value(edge, "--port"));
        assertNull(value(edge, "--config"));
    }

    @Test
    void aBadFileStopsTheCommandNamingEveryProblem() throws IOException {
        Path file = write("""
                edge:
                  prot: 9100
                  heartbeat: soon
                  port: many
                """);
        CommandLine root = Main.commandLine(Map.<String, String>of()::get);
        StringWriter err = new StringWriter();
        root.setErr(new PrintWriter(err));
        int code = root.execute("edge", "--config", file.toString());
        assertEquals(2, code);
        String message = err.toString();
        assertTrue(message.contains("configuration file " + file), message);
        assertTrue(message.contains("edge.prot: unknown key; valid keys of 'edge': "), message);
        assertTrue(message.contains("api-port, "), message);
        assertTrue(message.contains("edge.heartbeat: 'soon' is not a duration (e.g. 250ms, 10s, 2m, 1h)"), message);
        assertTrue(message.contains("edge.port: 'many' is not an int"), message);
    }

    @Test
    void aMissingFileIsAnErrorNotAnEmptyConfiguration() {
        Path missing = dir.resolve("nope.yaml");
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> Main.commandLine(Map.<String, String>of()::get).parseArgs("edge", "--config", missing.toString()));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }
}
