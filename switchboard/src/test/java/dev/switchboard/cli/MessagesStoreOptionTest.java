package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.message.MessageServerOptions;
import dev.switchboard.message.store.cassandra.CassandraOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Where messages live, as the operator says it: {@code --db} is always the
 * relational database (users, channels, memberships); {@code --messages-db
 * cassandra://...} moves messages to Cassandra beside it. A value in the wrong
 * option, or a malformed one, is refused with what to write instead.
 */
class MessagesStoreOptionTest {
    private static final String PG = "jdbc:postgresql://db:5432/sb?user=sb";

    private static MessagesCommand parse(String... args) {
        CommandLine root = Main.commandLine(Map.<String, String>of()::get);
        return (MessagesCommand) root.parseArgs(args).subcommand().commandSpec().userObject();
    }

    private static String refusal(MessagesCommand command) {
        return assertThrows(CommandLine.ParameterException.class, command::validate).getMessage();
    }

    @Test
    void messagesStayInTheDatabaseUnlessMessagesDbNamesAKeyspace() {
        assertNull(parse("messages", "--db", PG).options(PG).messages());
        MessageServerOptions options = parse("messages", "--db", PG, "--messages-db",
                "cassandra://10.0.0.1,10.0.0.2:9043/chat?dc=eu1&rf=3").options(PG);
        CassandraOptions messages = options.messages();
        assertEquals("chat", messages.keyspace());
        assertEquals("eu1", messages.datacenter());
        assertEquals(2, messages.contactPoints().size());
        assertEquals(9043, messages.contactPoints().get(1).getPort());
        assertEquals(PG, options.database().jdbcUrl(), "users, channels and memberships stay in --db");
    }

    @Test
    void aCassandraUriInDbSaysToGiveItAsMessagesDb() {
        String e = refusal(parse("messages", "--db", "cassandra://c1,c2/chat"));
        assertTrue(e.startsWith("--db: 'cassandra://c1,c2/chat' is a Cassandra URI, but --db is the relational database"),
                e);
        assertTrue(e.contains("give the Cassandra URI as --messages-db beside it"), e);
    }

    @Test
    void aMalformedMessagesDbNamesTheOptionAndTheForm() {
        String notCassandra = refusal(parse("messages", "--db", PG, "--messages-db", "jdbc:postgresql://other/sb"));
        assertTrue(notCassandra.startsWith("--messages-db: 'jdbc:postgresql://other/sb' is not a"
                + " cassandra://host1,host2/keyspace URI"), notCassandra);
        String noKeyspace = refusal(parse("messages", "--db", PG, "--messages-db", "cassandra://c1,c2"));
        assertTrue(noKeyspace.startsWith("--messages-db: no keyspace in cassandra://c1,c2"), noKeyspace);
        String badParameter = refusal(parse("messages", "--db", PG, "--messages-db", "cassandra://c1/chat?replicas=3"));
        assertTrue(badParameter.startsWith("--messages-db: unknown parameter replicas (dc, rf, bucket, timeout (ms), migrate)"),
                badParameter);
        String badKeyspace = refusal(parse("messages", "--db", PG, "--messages-db", "cassandra://c1/Chat-1"));
        assertTrue(badKeyspace.startsWith("--messages-db: keyspace must match"), badKeyspace);
    }
}
