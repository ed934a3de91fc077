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
                balancer: { port: 8070, load-factor: 1.25, fallbacks: 2, refresh: 500ms }
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

    @Test
    void runsTheSameChecksAsTheStart() throws IOException {
        assertEquals(1, check("""
                edge: { transport: quantum, max-outbound-bytes: -5 }
                messages: { db: "jdbc:mysql://db/sb" }
                balancer: { redis: "http://redis:6379" }
                """));
        String e = err.toString();
        assertTrue(e.contains("edge.transport: must be auto, io_uring, epoll or nio: quantum"), e);
        assertTrue(e.contains("messages.db: unsupported database"), e);
        assertTrue(e.contains("balancer.redis: 'http://redis:6379' does not start with a redis://host:port URI"), e);
        err.getBuffer().setLength(0);
        assertEquals(1, check("edge: { max-outbound-bytes: -5 }\n"));
        assertTrue(err.toString().contains("edge.max-outbound-bytes: must be >= 65536: -5"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, check("edge: { redis: \"http://redis:6379\" }\n"));
        assertTrue(err.toString().contains("edge.redis: unknown broker spec"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, check("edge: { max-payload-bytes: 100000 }\n"));
        assertTrue(err.toString().contains("edge.max-payload-bytes: (100000) must not exceed --max-message-bytes (65536)"), err.toString());
    }

    @Test
    void leavesRequiredValuesAndSecretsToTheEnvironment() throws IOException {
        assertEquals(0, check("""
                messages: { port: 8090, db-pool-size: 4 }
                edge: { messages-url: "http://messages:8090" }
                balancer: { port: 8070 }
                """), err.toString());
    }

    @Test
    void checksTheConfigMapThatCarriesTheFile() throws IOException {
        Path manifest = dir.resolve("config.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: ConfigMap
                metadata: { name: switchboard-config }
                data:
                  switchboard.yaml: |
                    edge:
                      max-outbound-bytes: -5
                """);
        assertEquals(1, run("config", "check", manifest.toString()));
        assertTrue(err.toString().contains("edge.max-outbound-bytes: must be >= 65536: -5"), err.toString());
        assertEquals(0, run("config", "check", Path.of("..", "deploy", "k8s", "base", "config.yaml").toString()), err.toString());
        assertTrue(out.toString().contains("(edge, messages, balancer)"), out.toString());
    }

    @Test
    void initPrintsEveryKeyWithItsDefaultAndTheResultChecks() throws IOException {
        assertEquals(0, run("config", "init"));
        String text = out.toString();
        for (String line : new String[] {"edge:", "  # heartbeat: 25s", "  # max-outbound-bytes: 1048576", "  # port: 8090",
                "balancer:", "  # refresh: 500ms", "  # registry-prefix: \"sb:nodes:\"", "  # redis:", "dev:", "  # no-demo: false"}) {
            assertTrue(text.lines().anyMatch(l -> l.equals(line)), line + " in\n" + text);
        }
        assertTrue(text.contains("Environment: $SWITCHBOARD_JWT_SECRET."), "names the variables");
        assertTrue(!text.contains("${DEFAULT-VALUE}") && !text.contains("refresh-ms") && !text.contains("debug"), text);
        for (String section : new String[] {"edge", "messages", "balancer", "dev"}) {
            CommandLine cl = Main.commandLine(Map.<String, String>of()::get);
            long keys = ConfigKeys.keys(cl.getSubcommands().get(section).getCommandSpec()).size();
            String body = text.substring(text.indexOf("\n" + section + ":\n"));
            long listed = body.lines().skip(2).takeWhile(l -> l.startsWith("  ")).filter(l -> l.matches("  # [a-z0-9-]+:( .*)?")).count(); // a key: "key:" or "key: value", not a
            // wrapped description line that starts with a URI ("jdbc:postgresql://...", "cassandra://...")
            assertEquals(keys, listed, "every key of " + section);
        }
        out.getBuffer().setLength(0);
        assertEquals(0, check(text), err.toString());
        // Uncommented, the defaults pass too.
        String uncommented = text.lines().map(l -> l.matches("  # [a-z0-9-]+: .+") ? "  " + l.substring(4) : l)
                .reduce("", (a, b) -> a + b + "\n");
        assertEquals(0, check(uncommented), err.toString() + uncommented);
    }
}
