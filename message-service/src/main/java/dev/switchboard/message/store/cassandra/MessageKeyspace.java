package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cassandra side of the message store: one driver session and the schema
 * (docs/adr/0011-messages-on-cassandra.md). Opening connects (failing within the
 * connect timeout if no contact point answers), waits up to twice the connect
 * timeout for a pooled connection to every node ({@link SessionPools}), creates what is missing when
 * {@link CassandraOptions#migrate()} says so, and checks the keyspace's bucket
 * size against the options. Requests default to LOCAL_QUORUM, conditional
 * writes to LOCAL_SERIAL.
 */
public final class MessageKeyspace implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MessageKeyspace.class);

    private final CqlSession session;
    private final CassandraOptions options;

    private MessageKeyspace(CqlSession session, CassandraOptions options) {
        this.session = session;
        this.options = options;
    }

    public static MessageKeyspace open(CassandraOptions options) {
        Duration timeout = options.requestTimeout();
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withString(DefaultDriverOption.SESSION_NAME, "switchboard-messages")
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, timeout)
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "LOCAL_QUORUM")
                .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, "LOCAL_SERIAL")
                .withBoolean(DefaultDriverOption.REQUEST_DEFAULT_IDEMPOTENCE, false)
                .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, options.connectTimeout())
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, options.connectTimeout())
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, options.connectTimeout())
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                // A node that comes back is used again within a second or two.
                .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(200))
                .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(2))
                .build();
        List<InetSocketAddress> points = options.contactPoints().stream()
                .map(a -> new InetSocketAddress(a.getHostString(), a.getPort())).toList();
        CqlSession session = CqlSession.builder().addContactPoints(points)
                .withLocalDatacenter(options.datacenter()).withConfigLoader(config).build();
        MessageKeyspace ks = new MessageKeyspace(session, options);
        try {
            SessionPools.await(session, options.connectTimeout().multipliedBy(2));
            if (options.migrate()) {
                ks.createSchema();
            }
            ks.checkBucketSize();
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        log.info("message keyspace open: {}", options);
        return ks;
    }

    public CqlSession session() {
        return session;
    }

    public CassandraOptions options() {
        return options;
    }

    /**
     * A read, prepared idempotent: the session's default is not (a retried conditional
     * write could apply twice), but a SELECT, serial or not, may move to the next node
     * when its coordinator's connection drops (ADR 0011, Idempotent reads).
     */
    PreparedStatement prepareRead(String cql) {
        if (!cql.startsWith("SELECT ")) {
            throw new IllegalArgumentException("not a read: " + cql);
        }
        return session.prepare(SimpleStatement.newInstance(cql).setIdempotent(true));
    }

    /** {@code keyspace.table}, for statements. */
    String table(String name) {
        return options.keyspace() + "." + name;
    }

    private void createSchema() {
        String ks = options.keyspace();
        ddl("CREATE KEYSPACE IF NOT EXISTS " + ks + " WITH replication = {'class': 'NetworkTopologyStrategy', '"
                + options.datacenter() + "': " + options.replicationFactor() + "}");
        // Constants of the keyspace, fixed at creation (the bucket size decides where every message lives).
        ddl("CREATE TABLE IF NOT EXISTS " + ks + ".settings (name text PRIMARY KEY, value bigint)");
        // The channel log: every sequenced event of a channel, bucketSize sequences per partition.
        // `head` is the highest sequence in the partition; a send's conditional batch sets it and
        // inserts the row in one Paxos round, so a sequence never exists without its message.
        // `kind` is 'message' or an edit, delete or reaction of message_id (ADR 0013); `sender` is the
        // actor, `client_msg_id` their key, `text` an edit's new text.
        ddl("CREATE TABLE IF NOT EXISTS " + ks + ".channel_log ("
                + " channel_id bigint, bucket bigint, seq bigint, head bigint static,"
                + " kind text, message_id bigint, sender text, text text, attachments text,"
                + " client_msg_id text, created_at timestamp, write_id uuid,"
                + " emoji text, parent_id bigint, also_to_channel boolean, mentions list<text>,"
                + " PRIMARY KEY ((channel_id, bucket), seq)) WITH CLUSTERING ORDER BY (seq ASC)");
        // A keyspace created before message events had none of these columns.
        for (String column : List.of("emoji text", "parent_id bigint", "also_to_channel boolean", "mentions list<text>")) {
            ddl("ALTER TABLE " + ks + ".channel_log ADD IF NOT EXISTS " + column);
        }
        // Idempotency keys: claimed before the message is written (floor = a head at or below
        // which the message cannot be), completed with its sequence once it is known.
        // Events' keys (edits, deletes, reactions) apart from messages', as in the relational store.
        for (String table : List.of(ClientIds.MESSAGES, ClientIds.EVENTS)) {
            ddl("CREATE TABLE IF NOT EXISTS " + ks + "." + table + " (channel_id bigint, sender text,"
                    + " client_msg_id text, claim_id uuid, floor bigint, seq bigint,"
                    + " PRIMARY KEY ((channel_id, sender, client_msg_id)))");
        }
        // The current state of each message (ADR 0013), derived from the log: static `seq` (where the
        // message is in the log), edited or tombstoned text; rows per reaction (part 'reaction', key
        // "emoji user"), per thread reply of a root (part 'reply', key its zero-padded sequence) and per
        // edit (part 'edit'). Every write carries the sequence of the entry it applies as its
        // timestamp, so applying entries twice or out of order leaves the same state.
        ddl("CREATE TABLE IF NOT EXISTS " + ks + ".message_state (channel_id bigint, message_id bigint,"
                + " seq bigint static, text text static, edited_at timestamp static, deleted_at timestamp static,"
                + " part text, key text, entry_seq bigint, who text, at timestamp, emoji text,"
                + " PRIMARY KEY ((channel_id, message_id), part, key))");
        // How far each channel's log is applied to message_state: every entry at or below is.
        ddl("CREATE TABLE IF NOT EXISTS " + ks + ".state_applied (channel_id bigint PRIMARY KEY, seq bigint)");
        // Read checkpoints, one partition per user (their whole channel list in one read). Written
        // with the sequence as the write timestamp, so the highest always wins without a read.
        ddl("CREATE TABLE IF NOT EXISTS " + ks + ".read_positions (org text, user_id text, channel_id bigint,"
                + " last_read_seq bigint, PRIMARY KEY ((org, user_id), channel_id))");
        // Where a channel's newest bucket is (a hint: readers probe forward from it); written with
        // the bucket as the write timestamp, so it only moves forward.
        ddl("CREATE TABLE IF NOT EXISTS " + ks + ".channel_heads (channel_id bigint PRIMARY KEY, bucket bigint)");
        // The migration from PostgreSQL (MessageMigration): how far each channel is copied.
        ddl("CREATE TABLE IF NOT EXISTS " + ks + ".migration_progress (channel_id bigint PRIMARY KEY,"
                + " copied_seq bigint, done boolean)");
        session.execute(SimpleStatement.newInstance("INSERT INTO " + ks + ".settings (name, value) VALUES"
                + " ('bucket_size', ?) IF NOT EXISTS", (long) options.bucketSize()));
    }

    private void ddl(String cql) {
        ResultSet rs = session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
        if (!rs.getExecutionInfo().isSchemaInAgreement()) {
            session.checkSchemaAgreement();
        }
    }

    private void checkBucketSize() {
        Row row = session.execute(SimpleStatement.newInstance("SELECT value FROM " + table("settings")
                + " WHERE name = 'bucket_size'").setSerialConsistencyLevel(null).setIdempotent(true)).one();
        if (row == null) {
            throw new IllegalStateException("keyspace " + options.keyspace() + " has no bucket_size setting:"
                    + " open it once with migrate on");
        }
        if (row.getLong(0) != options.bucketSize()) {
            throw new IllegalStateException("keyspace " + options.keyspace() + " was created with bucket size "
                    + row.getLong(0) + ", not " + options.bucketSize() + ": a keyspace keeps its bucket size");
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
