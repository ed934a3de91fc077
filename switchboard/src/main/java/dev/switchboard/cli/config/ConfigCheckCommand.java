package dev.switchboard.cli.config;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code switchboard config check FILE}: validates a file against every server subcommand's options, starting nothing. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate a configuration file: sections, option names and values. Prints OK (exit 0) or every problem (exit 1).")
final class ConfigCheckCommand implements Callable<Integer> {
    private final ConfigValidator validator;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The YAML file.")
    Path file;

    ConfigCheckCommand(ConfigValidator validator) {
        this.validator = validator;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            ConfigFile checked = validator.check(file);
            out.println("OK " + file + (checked.sectionNames().isEmpty() ? " (empty)" : " (" + String.join(", ", checked.sectionNames()) + ")"));
            out.flush();
            return 0;
        } catch (ConfigException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(e.getMessage());
            err.flush();
            return 1;
        }
    }
}
