package dev.switchboard.cli.config;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code switchboard config}: the configuration file's tools, {@code check} and {@code init}. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Configuration file tools: 'config check FILE' runs the start-up checks on a file (or the ConfigMap",
                "that carries it) without starting anything; 'config init' prints a commented file with every key."})
final class ConfigCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
