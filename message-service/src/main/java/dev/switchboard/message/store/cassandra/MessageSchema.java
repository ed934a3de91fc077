package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message keyspace's tables (docs/adr/0011-messages-on-cassandra.md) and the
 * creation of what is missing. What exists is read from the driver's schema
 * metadata first, so opening a keyspace that is complete changes no schema (a node
 * start does no DDL); the tables that are missing are created concurrently and the
 * schema agreement is awaited once, instead of one agreement round per table
 * (each is a schema change every node applies and flushes).
 */
final class MessageSchema {
    private static final Logger log = LoggerFactory.getLogger(MessageSchema.class);
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);

    /** One table: its name and the body of its CREATE TABLE statement. */
    private record Table(String name, String columns) {
    }

    /**
     * Columns the channel log gained after its first release (message events, ADR 0013):
     * a keyspace created before them has none until they are added.
     */
    private static final List<String> CHANNEL_LOG_ADDED = List.of(
            "emoji text", "parent_id bigint", "also_to_channel boolean", "mentions list<text>");

    private static final String CLIENT_IDS = "(channel_id bigint, sender text, client_msg_id text, claim_id uuid,"
            + " floor bigint, seq bigint, PRIMARY KEY ((channel_id, sender, client_msg_id)))";

    private static final List<Table> TABLES = List.of(
            // Constants of the keyspace, fixed at creation (the bucket size decides where every message lives).
            new Table("settings", "(name text PRIMARY KEY, value bigint)"),
            // The channel log: every sequenced event of a channel, bucketSize sequences per partition.
            // `head` is the highest sequence in the partition; a send's conditional batch sets it and
            // inserts the row in one Paxos round, so a sequence never exists without its message.
            // `kind` is 'message' or an edit, delete or reaction of message_id (ADR 0013); `sender` is the
            // actor, `client_msg_id` their key, `text` an edit's new text.
            new Table("channel_log", "( channel_id bigint, bucket bigint, seq bigint, head bigint static,"
                    + " kind text, message_id bigint, sender text, text text, attachments text,"
                    + " client_msg_id text, created_at timestamp, write_id uuid, "
                    + String.join(", ", CHANNEL_LOG_ADDED)
                    + ", PRIMARY KEY ((channel_id, bucket), seq)) WITH CLUSTERING ORDER BY (seq ASC)"),
            // Idempotency keys: claimed before the message is written (floor = a head at or below
            // which the message cannot be), completed with its sequence once it is known.
            // Events' keys (edits, deletes, reactions) apart from messages', as in the relational store.
            new Table(ClientIds.MESSAGES, CLIENT_IDS),
            new Table(ClientIds.EVENTS, CLIENT_IDS),
            // The current state of each message (ADR 0013), derived from the log: static `seq` (where the
            // message is in the log), edited or tombstoned text; rows per reaction (part 'reaction', key
            // "emoji user"), per thread reply of a root (part 'reply', key its zero-padded sequence) and per
            // edit (part 'edit'). Every write carries the sequence of the entry it applies as its
            // timestamp, so applying entries twice or out of order leaves the same state.
            new Table("message_state", "(channel_id bigint, message_id bigint,"
                    + " seq bigint static, text text static, edited_at timestamp static, deleted_at timestamp static,"
                    + " part text, key text, entry_seq bigint, who text, at timestamp, emoji text,"
                    + " PRIMARY KEY ((channel_id, message_id), part, key))"),
            // How far each channel's log is applied to message_state: every entry at or below is.
            new Table("state_applied", "(channel_id bigint PRIMARY KEY, seq bigint)"),
            // Read checkpoints, one partition per user (their whole channel list in one read). Written
            // with the sequence as the write timestamp, so the highest always wins without a read.
            new Table("read_positions", "(org text, user_id text, channel_id bigint,"
                    + " last_read_seq bigint, PRIMARY KEY ((org, user_id), channel_id))"),
            // Where a channel's newest bucket is (a hint: readers probe forward from it); written with
            // the bucket as the write timestamp, so it only moves forward.
            new Table("channel_heads", "(channel_id bigint PRIMARY KEY, bucket bigint)"),
            // The migration from PostgreSQL (MessageMigration): how far each channel is copied.
            new Table("migration_progress", "(channel_id bigint PRIMARY KEY, copied_seq bigint, done boolean)"));

    private final CqlSession session;
    private final CassandraOptions options;

    MessageSchema(CqlSession session, CassandraOptions options) {
        this.session = session;
        this.options = options;
    }

    /** Creates the keyspace, the tables and the columns that are missing, and the bucket size setting. */
    void ensure() {
        long start = System.nanoTime();
        String ks = options.keyspace();
        if (keyspace().isEmpty()) {
            await(List.of(ddl("CREATE KEYSPACE IF NOT EXISTS " + ks + " WITH replication = {'class': 'NetworkTopologyStrategy', '"
                    + options.datacenter() + "': " + options.replicationFactor() + "}")));
        }
        List<CompletableFuture<AsyncResultSet>> changes = new ArrayList<>();
        for (Table t : TABLES) {
            Optional<TableMetadata> existing = keyspace().flatMap(k -> k.getTable(t.name()));
            if (existing.isEmpty()) {
                changes.add(ddl("CREATE TABLE IF NOT EXISTS " + ks + "." + t.name() + " " + t.columns()));
            } else if (t.name().equals("channel_log")) {
                for (String column : CHANNEL_LOG_ADDED) {
                    String name = column.substring(0, column.indexOf(' '));
                    if (existing.get().getColumn(CqlIdentifier.fromInternal(name)).isEmpty()) {
                        changes.add(ddl("ALTER TABLE " + ks + ".channel_log ADD IF NOT EXISTS " + column));
                    }
                }
            }
        }
        await(changes);
        if (!changes.isEmpty()) {
            if (!session.checkSchemaAgreement()) {
                throw new IllegalStateException("keyspace " + ks + ": the nodes did not agree on the schema within "
                        + "the driver's agreement timeout");
            }
            log.info("keyspace {}: {} schema changes in {} ms", ks, changes.size(), (System.nanoTime() - start) / 1_000_000);
        }
        session.execute(SimpleStatement.newInstance("INSERT INTO " + ks + ".settings (name, value) VALUES"
                + " ('bucket_size', ?) IF NOT EXISTS", (long) options.bucketSize()));
    }

    private static void await(List<CompletableFuture<AsyncResultSet>> changes) {
        try {
            CompletableFuture.allOf(changes.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private Optional<KeyspaceMetadata> keyspace() {
        return session.getMetadata().getKeyspace(options.keyspace());
    }

    /**
     * A schema change, sent to the first node that is up: changes sent at once are applied one
     * after another by that coordinator (never two coordinators changing the keyspace at the
     * same time), while the driver's waits for agreement on each overlap.
     */
    private CompletableFuture<AsyncResultSet> ddl(String cql) {
        Node coordinator = session.getMetadata().getNodes().values().stream()
                .filter(n -> n.getState() == NodeState.UP).findFirst().orElse(null);
        return session.executeAsync(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT).setNode(coordinator))
                .toCompletableFuture();
    }
}
