package dev.switchboard.message.store.cassandra;

import java.net.InetSocketAddress;
import java.util.stream.Collectors;

/**
 * The Cassandra message store could not be opened: no contact point answered,
 * the datacenter is wrong, the keyspace could not be created or has another
 * bucket size. Thrown at start so that a launcher can name the option that
 * holds {@link #options()} apart from the relational database's.
 */
public final class CassandraOpenException extends RuntimeException {
    private final transient CassandraOptions options;

    public CassandraOpenException(CassandraOptions options, Throwable cause) {
        super("cannot open the Cassandra message store " + describe(options) + ": " + cause.getMessage(), cause);
        this.options = options;
    }

    public CassandraOptions options() {
        return options;
    }

    /** {@code cassandra://host:port,.../keyspace?dc=...}, as an operator writes it. */
    public static String describe(CassandraOptions options) {
        return "cassandra://" + options.contactPoints().stream().map(CassandraOpenException::hostPort)
                .collect(Collectors.joining(",")) + "/" + options.keyspace() + "?dc=" + options.datacenter();
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }
}
