package dev.switchboard.cli;

import dev.switchboard.cli.config.ConfigWiring;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/switchboard}: one launcher, a subcommand per process of the system. */
// scope INHERIT: every subcommand answers --version with the launcher's build (container images run a subcommand).
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = Version.class, scope = CommandLine.ScopeType.INHERIT,
        description = "Realtime messaging for team chat.",
        subcommands = {DevCommand.class, EdgeCommand.class, MessagesCommand.class, TokenCommand.class,
                dev.switchboard.balancer.cli.BalancerCommand.class, dev.switchboard.loadgen.LoadgenCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every converter registered and the configuration file installed (also used by tests). */
    public static CommandLine commandLine() {
        return commandLine(System::getenv);
    }

    /** As {@link #commandLine()}, reading the configuration file's environment overrides from {@code env}. */
    public static CommandLine commandLine(java.util.function.Function<String, String> env) {
        CommandLine cl = new CommandLine(new Main());
        cl.registerConverter(java.time.Duration.class, new DurationConverter());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        ConfigWiring.install(cl, () -> commandLine(env), env);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
