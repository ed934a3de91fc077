package dev.switchboard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/switchboard}: one launcher, a subcommand per process of the system. */
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = Version.class,
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

    /** The command line with every converter registered (also used by tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.registerConverter(java.time.Duration.class, new DurationConverter());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
