package dev.switchboard.cli;

import dev.switchboard.cli.config.Validating;
import dev.switchboard.message.store.Database;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.message.store.cassandra.CassandraOptions;
import dev.switchboard.message.store.cassandra.MessageKeyspace;
import dev.switchboard.message.store.cassandra.MessageMigration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard migrate-messages}: copies a PostgreSQL deployment's channel logs
 * (messages and their events) to the Cassandra message store with sequences intact;
 * resumable, verified at the end (docs/operations.md, "Moving messages to Cassandra").
 */
@Command(name = "migrate-messages",
        description = "Copy the messages and message events of a PostgreSQL deployment to Cassandra, sequences intact."
                + " Resumable: progress is recorded per channel in the keyspace; a rerun continues where the last"
                + " one stopped. Nothing may send while it runs.")
final class MigrateMessagesCommand implements Callable<Integer>, Validating {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, defaultValue = "${env:SWITCHBOARD_DB_URL}",
            description = "The PostgreSQL deployment's JDBC URL (it keeps users, channels and memberships).")
    String from;

    @Option(names = "--to", required = true, defaultValue = "${env:SWITCHBOARD_MESSAGES_DB}",
            description = "The Cassandra store, as the message-service's --messages-db:"
                    + " cassandra://host1[:port],host2/keyspace?dc=..&rf=3&bucket=1000.")
    String to;

    @Option(names = "--chunk", defaultValue = "" + MessageMigration.DEFAULT_CHUNK,
            description = "Log entries copied, and progress recorded, at a time (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--max-channels", defaultValue = "0",
            description = "Stop after copying this many channels (0: all); run again to continue.")
    int maxChannels;

    /** The options' problems, each naming its flag, before anything connects (unset ones are picocli's to report). */
    @Override
    public void validate() {
        if (chunk < 1) {
            throw OptionProblems.of(spec, "--chunk", "must be at least 1, got " + chunk, null);
        }
        if (maxChannels < 0) {
            throw OptionProblems.of(spec, "--max-channels", "must be 0 (all) or more, got " + maxChannels, null);
        }
        if (to != null) {
            CassandraUriOption.parse(spec, "--to", to, " (where the messages are copied to)");
        }
        if (from != null) {
            if (!from.startsWith("jdbc:postgresql:")) {
                throw OptionProblems.of(spec, "--from", "'" + Startup.mask(from) + "' is not a jdbc:postgresql:// URL", null);
            }
            database();
        }
    }

    private DatabaseOptions database() {
        try {
            return DatabaseOptions.builder().jdbcUrl(from).poolSize(2).build();
        } catch (IllegalArgumentException e) {
            throw OptionProblems.of(spec, "--from", e.getMessage(), e);
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        validate();
        CassandraOptions cassandra = CassandraOptions.parse(to);
        DatabaseOptions database = database();
        try (Database db = Startup.database(spec, "--from", from, () -> Database.open(database, new SimpleMeterRegistry()));
             MessageKeyspace ks = Startup.connect(spec, "--to", to, "Cassandra",
                     "check that Cassandra runs there, the datacenter (dc=) and the keyspace name",
                     () -> MessageKeyspace.open(cassandra))) {
            long start = System.nanoTime();
            MessageMigration.Report r = new MessageMigration(db, ks, chunk, line -> {
                out.println(line);
                out.flush();
            }).run(maxChannels);
            out.println("copied " + r.copied() + " channels (" + r.entries() + " entries) this run; "
                    + r.alreadyDone() + " were done before; " + (r.complete() ? "complete and verified"
                    : r.mismatches().isEmpty() ? "not complete: run again" : "VERIFICATION FAILED") + " in "
                    + (System.nanoTime() - start) / 1_000_000_000 + " s");
            out.flush();
            return r.complete() || r.mismatches().isEmpty() ? 0 : 1;
        }
    }
}
