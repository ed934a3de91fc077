package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FleetCommandTest {
    private static FleetCommand parse(String... args) {
        CommandLine root = Main.commandLine(Map.<String, String>of()::get);
        String[] all = new String[args.length + 1];
        all[0] = "fleet";
        System.arraycopy(args, 0, all, 1, args.length);
        return (FleetCommand) root.parseArgs(all).subcommand().commandSpec().userObject();
    }

    @Test
    void defaultsToTwoEdgesOnTheLocalRedisAndPostgresWithTheComponentsUsualPorts() {
        FleetCommand f = parse();
        assertEquals(2, f.edges);
        assertEquals("redis://127.0.0.1:6379", f.redis);
        assertTrue(f.db.startsWith("jdbc:postgresql://127.0.0.1:5432/"), f.db);
        assertEquals(8070, f.balancerPort());
        assertEquals(8090, f.messagesPort());
        assertEquals(8100, f.edgePort(1));
        assertEquals(8102, f.edgePort(2));
    }

    @Test
    void helpNamesTheEnvironmentVariablesAlsoOfOptionsWithAFallback() {
        String help = Main.commandLine(Map.<String, String>of()::get).getSubcommands().get("fleet").getUsageMessage();
        for (String variable : new String[] {"SWITCHBOARD_REDIS", "SWITCHBOARD_DB_URL", "SWITCHBOARD_JWT_SECRET",
                "SWITCHBOARD_API_KEYS", "SWITCHBOARD_INTERNAL_KEY", "SWITCHBOARD_FLEET_JAVA_OPTS"}) {
            assertTrue(help.contains("env: $" + variable), variable + " in " + help);
        }
    }

    @Test
    void badValuesNameTheFlag() {
        var e = assertThrows(CommandLine.ParameterException.class, () -> parse("--edges", "0").validate());
        assertTrue(e.getMessage().startsWith("--edges"), e.getMessage());
        e = assertThrows(CommandLine.ParameterException.class, () -> parse("--base-port", "65530").validate());
        assertTrue(e.getMessage().startsWith("--base-port"), e.getMessage());
        e = assertThrows(CommandLine.ParameterException.class,
                () -> parse("--base-port", "30000", "--api-key", "org:acme:0123456789abcdef").validate());
        assertTrue(e.getMessage().startsWith("--api-key"), e.getMessage());
        e = assertThrows(CommandLine.ParameterException.class, () -> parse("--base-port", "30000", "--redis", "http://x").validate());
        assertTrue(e.getMessage().startsWith("--redis"), e.getMessage());
    }
}
