package dev.switchboard.message.store.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.switchboard.testing.CassandraRing;
import dev.switchboard.testing.SharedCassandraRing;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Opening a keyspace creates what it lacks and nothing else: a keyspace of an
 * earlier release (a channel log without the columns of message events, every
 * other table missing) gets its tables and columns and keeps its rows, and
 * opening a complete keyspace again changes no schema.
 */
@ExtendWith(SharedCassandraRing.class)
class MessageSchemaIT {
    private static final Set<String> TABLES = new TreeSet<>(List.of("settings", "channel_log", ClientIds.MESSAGES,
            ClientIds.EVENTS, "message_state", "state_applied", "read_positions", "channel_heads", "migration_progress"));

    @Test
    void anEarlierKeyspaceGetsWhatItLacksAndACompleteOneIsLeftAsItIs(CassandraRing ring) {
        String ks = "schema_" + Long.toHexString(System.nanoTime() & 0xffffffL);
        try (CqlSession cql = connect(ring)) {
            ddl(cql, "CREATE KEYSPACE " + ks + " WITH replication = {'class': 'NetworkTopologyStrategy', '"
                    + CassandraRing.DATACENTER + "': 3}");
            ddl(cql, "CREATE TABLE " + ks + ".channel_log (channel_id bigint, bucket bigint, seq bigint,"
                    + " head bigint static, kind text, message_id bigint, sender text, text text, attachments text,"
                    + " client_msg_id text, created_at timestamp, write_id uuid,"
                    + " PRIMARY KEY ((channel_id, bucket), seq)) WITH CLUSTERING ORDER BY (seq ASC)");
            ddl(cql, "INSERT INTO " + ks + ".channel_log (channel_id, bucket, seq, head, kind, message_id, sender,"
                    + " text) VALUES (7, 0, 1, 1, 'message', 1, 'ana', 'kept')");
        }
        UUID version;
        try (MessageKeyspace opened = MessageKeyspace.open(CassandraOptions.parse(ring.uri(ks)))) {
            KeyspaceMetadata meta = opened.session().getMetadata().getKeyspace(ks).orElseThrow();
            assertEquals(TABLES, meta.getTables().keySet().stream().map(CqlIdentifier::asInternal)
                    .collect(Collectors.toCollection(TreeSet::new)));
            TableMetadata log = meta.getTable("channel_log").orElseThrow();
            for (String column : List.of("emoji", "parent_id", "also_to_channel", "mentions")) {
                assertTrue(log.getColumn(column).isPresent(), "channel_log." + column + " added");
            }
            assertEquals("kept", opened.session().execute("SELECT text FROM " + ks
                    + ".channel_log WHERE channel_id = 7 AND bucket = 0 AND seq = 1").one().getString(0));
            version = schemaVersion(opened.session());
        }
        try (MessageKeyspace again = MessageKeyspace.open(CassandraOptions.parse(ring.uri(ks)))) {
            assertEquals(version, schemaVersion(again.session()), "a complete keyspace is opened without a schema change");
        }
    }

    /** A statement given the time a schema change takes on a loaded ring (the driver's default is 2 s). */
    private static void ddl(CqlSession cql, String statement) {
        cql.execute(SimpleStatement.newInstance(statement).setTimeout(Duration.ofSeconds(60)));
    }

    private static UUID schemaVersion(CqlSession session) {
        return session.execute("SELECT schema_version FROM system.local").one().getUuid(0);
    }

    private static CqlSession connect(CassandraRing ring) {
        var b = CqlSession.builder().withLocalDatacenter(CassandraRing.DATACENTER);
        for (int i = 1; i <= ring.size(); i++) {
            b.addContactPoint(new InetSocketAddress(CassandraRing.address(i), ring.nativePort()));
        }
        return b.build();
    }
}
