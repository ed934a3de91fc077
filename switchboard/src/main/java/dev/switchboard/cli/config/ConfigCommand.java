package dev.switchboard.cli.config;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code switchboard config}: the configuration file's tools (today: {@code check}). */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Configuration file tools: 'config check FILE' validates a file without starting anything.")
final class ConfigCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
