package dev.switchboard.cli;

import dev.switchboard.cli.config.ConfigWiring;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/switchboard}: one launcher, a subcommand per process of the system. */
// scope INHERIT: every subcommand answers --version with the launcher's build (container images run a subcommand).
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = Version.class, scope = CommandLine.ScopeType.INHERIT,
        description = "Realtime messaging for team chat.",
        subcommands = {DevCommand.class, EdgeCommand.class, MessagesCommand.class, MigrateMessagesCommand.class, BalancerCommand.class, FleetCommand.class, TokenCommand.class,
                dev.switchboard.loadgen.LoadgenCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "When something fails, print the stack trace too (failures are one line otherwise).")
    boolean debug;

    public static void main(String[] args) {
        // The component names the service in JSON logs (LogSetup); set before the first logger exists.
        System.setProperty("switchboard.component", component(args));
        System.setProperty("switchboard.version", BuildInfo.current().version());
        libraryDefaults(System.getProperties());
        ParentWatch.fromEnvironment();
        boolean jsonLogs = LogSetup.json(System::getenv);
        System.exit(commandLine(System::getenv, jsonLogs).execute(args));
    }

    /**
     * Netty's and Lettuce's settings for every process of the launcher, set before either reads them; a {@code -D} on
     * the command line wins. Netty loads the JDK's flight recorder at start to emit its buffer events (~200 classes,
     * ~3 MB of RSS and of the ahead-of-time cache): off, {@code -Dio.netty.jfr.enabled=true} brings them back for a
     * profile. Lettuce does the same at its first connection to emit its connection and cluster events (~140 classes,
     * ~1 MB of metaspace and code in a node with {@code --redis}): off, {@code -Dio.lettuce.core.jfr=true} brings them
     * back. Netty's pooled arenas take 1 MiB chunks instead of 4 MiB: every arena a thread touches holds a whole chunk,
     * 8.7 MB of direct memory after an edge's first 10k handshakes against 2.4 MB, deliveries the same (ADR 0015).
     */
    static void libraryDefaults(java.util.Properties properties) {
        properties.putIfAbsent("io.netty.jfr.enabled", "false");
        properties.putIfAbsent("io.netty.allocator.maxOrder", "7");
        properties.putIfAbsent("io.lettuce.core.jfr", "false");
    }

    private static String component(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return "switchboard-" + a;
            }
        }
        return "switchboard";
    }

    /** The command line with every converter registered and the configuration file installed (also used by tests). */
    public static CommandLine commandLine() {
        return commandLine(System::getenv);
    }

    /** As {@link #commandLine()}, reading the configuration file's environment overrides from {@code env}. */
    public static CommandLine commandLine(Function<String, String> env) {
        return commandLine(env, false);
    }

    static CommandLine commandLine(Function<String, String> env, boolean jsonLogs) {
        CommandLine cl = new CommandLine(new Main());
        cl.registerConverter(java.time.Duration.class, new dev.switchboard.loadgen.Durations());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        ConfigWiring.install(cl, () -> commandLine(env), env);
        Failures failures = new Failures(jsonLogs);
        cl.setParameterExceptionHandler(failures);
        cl.setExecutionExceptionHandler(failures);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
