package dev.switchboard.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import dev.switchboard.loadgen.metrics.FailureReasons;
import dev.switchboard.message.store.cassandra.CassandraOpenException;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The steps of a start that depend on the outside world (Redis, the database, a
 * free port): a failure becomes a {@link StartupFailure} of one line that names
 * the option, its value (passwords masked), the cause and what to check.
 */
final class Startup {
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*|(://[^:/@]*:)[^@/]*(@)");

    private Startup() {
    }

    /** Runs {@code action}, which connects to Redis at {@code option}'s {@code value}. */
    static <T> T redis(CommandSpec spec, String option, String value, Supplier<T> action) {
        return connect(spec, option, value, "Redis", "check that Redis runs there and that the address is right", action);
    }

    /** Runs {@code action}, which connects to the database at {@code option}'s {@code value} and migrates its schema. */
    static <T> T database(CommandSpec spec, String option, String value, Supplier<T> action) {
        return connect(spec, option, value, "the database",
                "check that the database runs there and the URL's host, port, database name, user and password", action);
    }

    /**
     * Runs {@code action}, which opens the Cassandra message store of {@code option} beside the
     * database; a store that cannot open is named by that option, the database's failures are
     * left to {@link #database} around this.
     */
    static <T> T cassandra(CommandSpec spec, String option, Supplier<T> action) {
        try {
            return action.get();
        } catch (CassandraOpenException e) {
            throw new StartupFailure("cannot open the Cassandra message store at " + CassandraOpenException.describe(e.options())
                    + " (" + option + source(spec, option) + "): " + rootMessage(e.getCause()) + "; check that Cassandra"
                    + " runs at those hosts and ports, that dc= names their datacenter (nodetool status) and that rf="
                    + " is at most its number of nodes", e);
        }
    }

    /** Runs {@code action}, which connects to {@code what} at {@code option}'s {@code value}. */
    static <T> T connect(CommandSpec spec, String option, String value, String what, String fix, Supplier<T> action) {
        try {
            return action.get();
        } catch (StartupFailure | picocli.CommandLine.ParameterException e) {
            throw e;
        } catch (Exception e) { // Netty's sync() rethrows checked exceptions unchecked
            if (bindFailure(e) != null) {
                throw unchecked(e); // a port in use, for listen() around this step to name
            }
            String where = mask(value) + " (" + option + source(spec, option) + ")";
            if (migration(e)) {
                throw new StartupFailure("the schema migration of the database at " + where + " failed: " + rootMessage(e)
                        + "; see docs/operations.md, \"Upgrades\"", e);
            }
            throw new StartupFailure("cannot connect to " + what + " at " + where + ": " + rootMessage(e) + "; " + fix, e);
        }
    }

    /** Runs {@code action}, which listens on the ports of {@code portOptions}; a port in use is named. */
    static <T> T listen(CommandSpec spec, String host, List<String> portOptions, Supplier<T> action) {
        try {
            return action.get();
        } catch (Exception e) { // Netty's sync() rethrows checked exceptions unchecked
            Throwable bind = bindFailure(e);
            if (bind == null) {
                throw unchecked(e);
            }
            for (String option : portOptions) {
                OptionSpec o = spec.findOption(option);
                if (o != null && o.getValue() instanceof Integer port && port > 0 && !free(host, port)) {
                    throw new StartupFailure("cannot listen on " + host + ":" + port + " (" + option + source(spec, option) + "): "
                            + FailureReasons.clean(bind.getMessage()) + "; stop what uses the port or choose another", e);
                }
            }
            throw new StartupFailure("cannot listen on " + host + " (" + String.join(", ", portOptions) + "): "
                    + FailureReasons.clean(bind.getMessage()), e);
        }
    }

    private static RuntimeException unchecked(Exception e) {
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }

    /** Flyway failed: the database answered, its schema could not be brought up to date. */
    private static boolean migration(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().startsWith("org.flywaydb.")) {
                return true;
            }
        }
        return false;
    }

    /** A failure to bind a listening socket: java.net's BindException, or the native transports' "Address already in use". */
    private static Throwable bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BindException || t.getMessage() != null && t.getMessage().contains("Address already in use")) {
                return t;
            }
        }
        return null;
    }

    private static boolean free(String host, int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(host))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String source(CommandSpec spec, String option) {
        OptionSpec o = spec.findOption(option);
        return o == null ? "" : Failures.source(o).replaceFirst("^ \\(from ", ", from ").replaceFirst("\\)$", "");
    }

    /** The innermost cause's message: what the driver or the socket said. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : mask(FailureReasons.clean(m.strip().lines().findFirst().orElse(m)));
    }

    /** A URI or JDBC URL with its password replaced by ***. */
    static String mask(String value) {
        return value == null ? null : PASSWORD.matcher(value).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                m.group(1) != null ? m.group(1) + "***" : m.group(2) + "***" + m.group(3)));
    }
}
