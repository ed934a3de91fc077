package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MigrateMessagesCommandTest {
    private static MigrateMessagesCommand parse(String... args) {
        CommandLine root = Main.commandLine(Map.<String, String>of()::get);
        String[] all = new String[args.length + 1];
        all[0] = "migrate-messages";
        System.arraycopy(args, 0, all, 1, args.length);
        return (MigrateMessagesCommand) root.parseArgs(all).subcommand().commandSpec().userObject();
    }

    private static final String FROM = "jdbc:postgresql://127.0.0.1:5432/switchboard";
    private static final String TO = "cassandra://10.0.0.1,10.0.0.2/switchboard?dc=dc1";

    @Test
    void copiesAllChannelsInChunksOf500ByDefault() {
        MigrateMessagesCommand c = parse("--from", FROM, "--to", TO);
        c.validate();
        assertEquals(500, c.chunk);
        assertEquals(0, c.maxChannels);
    }

    @Test
    void badValuesNameTheFlag() {
        for (String[] bad : new String[][] {
                {"--from", FROM, "--to", "jdbc:postgresql://x/y", "--to"},
                {"--from", FROM, "--to", "cassandra://h/Not-A-Keyspace", "--to"},
                {"--from", "jdbc:h2:mem:x", "--to", TO, "--from"},
                {"--from", FROM, "--to", TO, "--chunk", "0", "--chunk"},
                {"--from", FROM, "--to", TO, "--max-channels", "-1", "--max-channels"}}) {
            String flag = bad[bad.length - 1];
            String[] args = java.util.Arrays.copyOf(bad, bad.length - 1);
            var e = assertThrows(CommandLine.ParameterException.class, () -> parse(args).validate());
            assertTrue(e.getMessage().startsWith(flag), e.getMessage());
        }
    }

    @Test
    void aRefusedTargetIsNamedAsMessagesDbIsAndItsPasswordIsMasked() {
        var wrongKind = assertThrows(CommandLine.ParameterException.class,
                () -> parse("--from", FROM, "--to", "jdbc:postgresql://h/db?user=sb&password=hunter2").validate());
        assertTrue(wrongKind.getMessage().startsWith("--to: 'jdbc:postgresql://h/db?user=sb&password=***' is not a"
                + " cassandra://host1,host2/keyspace URI (where the messages are copied to)"), wrongKind.getMessage());
        var bad = assertThrows(CommandLine.ParameterException.class,
                () -> parse("--from", FROM, "--to", "cassandra://h/Not-A-Keyspace").validate());
        assertTrue(bad.getMessage().endsWith("(" + CassandraUriOption.FORM + ")"), bad.getMessage());
    }

    @Test
    void isACommandOfTheLauncher() {
        String help = Main.commandLine(Map.<String, String>of()::get).getUsageMessage();
        assertTrue(help.contains("migrate-messages"), help);
    }
}
