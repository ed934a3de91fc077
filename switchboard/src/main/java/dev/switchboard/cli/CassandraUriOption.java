package dev.switchboard.cli;

import dev.switchboard.message.store.cassandra.CassandraOptions;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command line option that names a Cassandra message store ({@code messages --messages-db},
 * {@code migrate-messages --to}): one check and one wording for both, the value masked in what
 * the refusal says.
 */
final class CassandraUriOption {
    static final String FORM = "cassandra://host1[:port],host2/keyspace?dc=..&rf=..&bucket=..&timeout=..&migrate=..";

    private CassandraUriOption() {
    }

    /** The parsed store options, or a refusal naming {@code flag}; {@code why} ends the "is not a ..." sentence. */
    static CassandraOptions parse(CommandSpec spec, String flag, String value, String why) {
        if (!CassandraOptions.isCassandra(value)) {
            throw OptionProblems.of(spec, flag, "'" + Startup.mask(value) + "' is not a"
                    + " cassandra://host1,host2/keyspace URI" + why, null);
        }
        try {
            return CassandraOptions.parse(value);
        } catch (IllegalArgumentException e) {
            throw OptionProblems.of(spec, flag, e.getMessage() + " (" + FORM + ")", e);
        }
    }
}
