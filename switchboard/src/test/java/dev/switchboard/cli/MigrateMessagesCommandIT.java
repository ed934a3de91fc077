package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.message.NewMessage;
import dev.switchboard.message.NewUser;
import dev.switchboard.message.UserRef;
import dev.switchboard.message.store.ChatStore;
import dev.switchboard.message.store.Database;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.message.store.MessageStore;
import dev.switchboard.message.store.SequenceListener;
import dev.switchboard.testing.CassandraRing;
import dev.switchboard.testing.PostgresDatabase;
import dev.switchboard.testing.SharedCassandraRing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code bin/switchboard migrate-messages} as an operator runs it, on a real
 * PostgreSQL and a real three-node Cassandra ring: a first run stopped after one
 * channel, a second that finishes and verifies, a third that has nothing to copy.
 * (What the copy does is MessageMigrationIT's, in message-service.)
 */
@ExtendWith(SharedCassandraRing.class)
class MigrateMessagesCommandIT {
    private static final UserRef ANA = new UserRef("acme", "ana");

    @Test
    void copiesInRunsThatContinueWhereTheLastStoppedAndVerifies(CassandraRing ring) {
        try (PostgresDatabase pg = new PostgresDatabase()) {
            try (ChatStore store = ChatStore.relational(Database.open(DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl())
                    .poolSize(2).build(), new SimpleMeterRegistry()), Clock.systemUTC(), MessageStore.DEFAULT_MAX_PAGE)) {
                store.users().create(new NewUser("acme", "ana", "Ana", null, null));
                for (String name : List.of("one", "two", "three")) {
                    long g = store.channels().createGroup(ANA, name, List.of()).channel().id();
                    for (int i = 0; i < 7; i++) {
                        store.messages().send(ANA, g, new NewMessage(name + " " + i, null, null), SequenceListener.NONE);
                    }
                }
            }
            String to = ring.uri("cli_" + Long.toHexString(System.nanoTime() & 0xffffffL));
            Run first = run("--from", pg.jdbcUrl(), "--to", to, "--chunk", "5", "--max-channels", "1");
            assertEquals(0, first.status(), first.out());
            assertTrue(first.out().contains("stopped after 1 channels; run again to continue"), first.out());
            assertTrue(first.out().contains("copied 1 channels (7 entries) this run"), first.out());
            Run second = run("--from", pg.jdbcUrl(), "--to", to, "--chunk", "5");
            assertEquals(0, second.status(), second.out());
            assertTrue(second.out().contains("verified: 3 channels"), second.out());
            assertTrue(second.out().contains("copied 2 channels (14 entries) this run; 1 were done before; complete"
                    + " and verified"), second.out());
            Run third = run("--from", pg.jdbcUrl(), "--to", to);
            assertTrue(third.out().contains("copied 0 channels (0 entries) this run; 3 were done before"), third.out());
        }
    }

    private record Run(int status, String out) {
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine(Map.<String, String>of()::get);
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        String[] all = new String[args.length + 1];
        all[0] = "migrate-messages";
        System.arraycopy(args, 0, all, 1, args.length);
        int status = cl.execute(all);
        return new Run(status, out.toString());
    }
}
