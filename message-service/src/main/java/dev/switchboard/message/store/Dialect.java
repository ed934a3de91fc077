package dev.switchboard.message.store;

/**
 * The few statements whose SQL differs between PostgreSQL and the embedded H2.
 * Everything else the stores run is plain SQL that both accept.
 */
public enum Dialect {
    POSTGRESQL("postgresql", "UPDATE channels SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq",
            "SELECT nextval('messages_id_seq') FROM generate_series(1, ?)"),
    // H2 has no RETURNING; a data change delta table is its equivalent, and the
    // UPDATE's row lock is held to the end of the transaction in the same way.
    H2("h2", "SELECT last_seq FROM FINAL TABLE (UPDATE channels SET last_seq = last_seq + 1 WHERE id = ?)",
            "SELECT NEXT VALUE FOR messages_id_seq FROM SYSTEM_RANGE(1, ?)");

    private final String folder;
    private final String nextSeqSql;
    private final String nextMessageIdsSql;

    Dialect(String folder, String nextSeqSql, String nextMessageIdsSql) {
        this.folder = folder;
        this.nextSeqSql = nextSeqSql;
        this.nextMessageIdsSql = nextMessageIdsSql;
    }

    /** Takes the next N message ids from {@code messages_id_seq}, one per row; one parameter, N. */
    public String nextMessageIdsSql() {
        return nextMessageIdsSql;
    }

    /** The Flyway location of this vendor's migrations. */
    String migrations() {
        return "classpath:db/migration/" + folder;
    }

    /** Takes the channel's next sequence number and locks its row until commit; one parameter, the channel id. */
    String nextSeqSql() {
        return nextSeqSql;
    }

    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        throw new IllegalArgumentException("unsupported database (jdbc:postgresql: or jdbc:h2: expected): "
                + jdbcUrl.substring(0, Math.min(jdbcUrl.length(), 20)));
    }
}
