package dev.switchboard.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigCheckCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int check(String yaml) throws IOException {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, yaml);
        return run("config", "check", file.toString());
    }

    private int run(String... args) {
        CommandLine root = Main.commandLine(Map.<String, String>of()::get);
        root.setOut(new PrintWriter(out));
        root.setErr(new PrintWriter(err));
        return root.execute(args);
    }

    @Test
    void acceptsAFileThatEveryCommandAccepts() throws IOException {
        int code = check("""
                edge: { port: 8080, api-port: 8081, heartbeat: 25s, transport: nio, redis: "redis://redis:6379",
                        messages-url: "http://messages:8090", max-outbound-bytes: 1048576 }
                messages: { port: 8090, db: "jdbc:postgresql://db:5432/sb", db-pool-size: 20 }
                balancer: { port: 8070, load-factor: 1.25, fallbacks: 2, refresh-ms: 500 }
                dev: { no-demo: false, data: /tmp/sb }
                """);
        assertEquals(0, code, err.toString());
        assertEquals("OK " + dir.resolve("switchboard.yaml") + " (edge, messages, balancer, dev)", out.toString().strip());
    }

    @Test
    void listsEveryProblemAndExitsOne() throws IOException {
        int code = check("""
                edge:
                  port: 8080
                  heartbaet: 25s
                  api-key: [0123456789abcdef0, 0123456789abcdef1]
                  node-id: [a, b]
                balancer:
                  load-factor: high
                  config: other.yaml
                edgee:
                  port: 1
                """);
        assertEquals(1, code);
        String e = err.toString();
        assertTrue(e.contains("edge.heartbaet: unknown key; valid keys of 'edge': "), e);
        assertTrue(e.contains("heartbeat"), e);
        assertTrue(e.contains("edge.node-id: takes one value, not a list"), e);
        assertTrue(e.contains("balancer.load-factor: 'high' is not a double"), e);
        assertTrue(e.contains("balancer.config: a file cannot name another file"), e);
        assertTrue(e.contains("edgee: unknown section; valid sections: balancer, dev, edge, messages"), e);
        assertEquals(5, e.lines().filter(l -> l.startsWith("  ")).count(), e);
        assertEquals("", out.toString());
    }

    @Test
    void rejectsValuesOfTheWrongShape() throws IOException {
        assertEquals(1, check("""
                edge:
                  port: { value: 1 }
                  redis:
                dev: [port]
                """));
        String e = err.toString();
        assertTrue(e.contains("edge.port: a value or a list is expected, not a mapping"), e);
        assertTrue(e.contains("edge.redis: has no value"), e);
        assertTrue(e.contains("dev: must be a mapping of option names to values"), e);
    }

    @Test
    void flagsTakeBooleans() throws IOException {
        assertEquals(1, check("dev: { no-demo: maybe }\n"));
        assertTrue(err.toString().contains("dev.no-demo: expected true or false, got \"maybe\""), err.toString());
    }

    @Test
    void reportsYamlSyntaxErrorsWithTheLine() throws IOException {
        assertEquals(1, check("edge:\n  port: 1\n   heartbeat: [\n"));
        assertTrue(err.toString().contains("not valid YAML"), err.toString());
        assertTrue(err.toString().contains("line "), err.toString());
    }

    @Test
    void reportsDuplicateKeys() throws IOException {
        assertEquals(1, check("edge:\n  port: 1\n  port: 2\n"));
        assertTrue(err.toString().contains("Duplicate field 'port'"), err.toString());
    }

    @Test
    void aMissingFileFails() {
        assertEquals(1, run("config", "check", dir.resolve("absent.yaml").toString()));
        assertTrue(err.toString().contains("no such file"), err.toString());
    }

    @Test
    void anEmptyFileIsValid() throws IOException {
        assertEquals(0, check(""));
        assertTrue(out.toString().startsWith("OK "), out.toString());
    }
}
