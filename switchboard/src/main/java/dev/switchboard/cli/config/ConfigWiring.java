package dev.switchboard.cli.config;

import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Installs the configuration file on the launcher: {@code --config FILE} on each
 * server subcommand, the default-value provider that reads it, the
 * {@code config check} and {@code config init} subcommands, and help that names
 * each option's environment variable. Done programmatically so that the command
 * classes stay free of it.
 */
public final class ConfigWiring {
    private ConfigWiring() {
    }

    /**
     * @param root     the launcher's command line, with its subcommands
     * @param launcher makes a fresh launcher command line, used to validate files
     * @param env      the environment ({@code System::getenv} outside tests)
     */
    public static void install(CommandLine root, Supplier<CommandLine> launcher, Function<String, String> env) {
        for (String name : ConfigOption.SECTIONS) {
            CommandLine sub = root.getSubcommands().get(name);
            if (sub == null) {
                throw new IllegalStateException("the launcher has no '" + name + "' subcommand");
            }
            sub.getCommandSpec().addOption(ConfigOption.spec());
        }
        ConfigValidator validator = new ConfigValidator(launcher);
        root.setDefaultValueProvider(new ConfigDefaultProvider(validator, env));
        CommandLine config = new CommandLine(new ConfigCommand());
        config.addSubcommand(new CommandLine(new ConfigCheckCommand(validator)));
        config.addSubcommand(new CommandLine(new ConfigInitCommand(launcher)));
        root.addSubcommand(config);
        root.setHelpFactory(new EnvHelp());
    }
}
