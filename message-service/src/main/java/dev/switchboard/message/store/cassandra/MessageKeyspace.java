package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
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
                new MessageSchema(session, options).ensure();
            }
            ks.checkBucketSize();
            NodeSettings.warnings(session).forEach(log::warn);
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
