package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.cli.config.Validating;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The launcher's key options: scoped entries, the internal credential apart from every API key. */
class KeyOptionsTest {
    private static final String KEY = "0123456789abcdef0";
    private static final String OTHER = "fedcba9876543210f";

    private static Validating parse(String... args) {
        CommandLine root = Main.commandLine(Map.<String, String>of()::get);
        return (Validating) root.parseArgs(args).subcommand().commandSpec().userObject();
    }

    @Test
    void aBareKeyIsRefusedWithHowToWriteIt() {
        for (List<String> command : List.of(List.of("edge"), List.of("messages", "--db", "jdbc:postgresql://db/sb"),
                List.of("balancer", "--redis", "redis://127.0.0.1:6379"))) {
            List<String> all = new java.util.ArrayList<>(command);
            all.addAll(List.of("--api-key", KEY));
            String[] args = all.toArray(String[]::new);
            var e = assertThrows(CommandLine.ParameterException.class, () -> parse(args).validate());
            assertTrue(e.getMessage().startsWith("--api-key: "), e.getMessage());
            assertTrue(e.getMessage().contains("platform:<key>"), e.getMessage());
            assertTrue(!e.getMessage().contains(KEY), "no secret in the message: " + e.getMessage());
        }
        assertDoesNotThrow(() -> parse("edge", "--api-key", "platform:" + KEY + ",org:acme:" + OTHER).validate());
    }

    @Test
    void theInternalCredentialIsNoApiKey() {
        var e = assertThrows(CommandLine.ParameterException.class,
                () -> parse("messages", "--db", "jdbc:postgresql://db/sb", "--api-key", "org:acme:" + KEY, "--internal-key", KEY).validate());
        assertTrue(e.getMessage().startsWith("--internal-key: "), e.getMessage());
        assertThrows(CommandLine.ParameterException.class, () -> parse("edge", "--internal-key", "short").validate());
        assertDoesNotThrow(() -> parse("edge", "--api-key", "platform:" + KEY, "--internal-key", OTHER).validate());
    }

    @Test
    void clientsPresentTheSecretOfTheFirstEntry() {
        assertEquals(KEY, AuthOptions.first(List.of("platform:" + KEY, "org:acme:" + OTHER)));
        assertEquals(OTHER, AuthOptions.first(List.of(" org:acme:" + OTHER)));
        assertEquals(KEY, AuthOptions.first(List.of(KEY)));
    }
}
