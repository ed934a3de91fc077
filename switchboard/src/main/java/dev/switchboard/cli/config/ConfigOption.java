package dev.switchboard.cli.config;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The {@code --config FILE} option of the server subcommands, and where a command's file comes from. */
final class ConfigOption {
    static final String NAME = "--config";
    static final String ENV = "SWITCHBOARD_CONFIG";
    /** The subcommands whose options can come from the file; each is a section of it. */
    static final List<String> SECTIONS = List.of("balancer", "dev", "edge", "messages");

    private ConfigOption() {
    }

    static OptionSpec spec() {
        return OptionSpec.builder(NAME).paramLabel("FILE").type(Path.class)
                .description("YAML configuration file; this command reads its section of it "
                        + "(default: $" + ENV + "). Precedence: flags, then environment, then file, then defaults. "
                        + "'switchboard config check FILE' validates a file.")
                .build();
    }

    /** The file that the command was given, else $SWITCHBOARD_CONFIG, else null. */
    static Path path(CommandSpec command, Function<String, String> env) {
        OptionSpec option = command.findOption(NAME);
        if (option == null) {
            return null;
        }
        List<String> given = option.originalStringValues();
        if (!given.isEmpty()) {
            return Path.of(given.get(given.size() - 1));
        }
        String fromEnv = env.apply(ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
    }
}
