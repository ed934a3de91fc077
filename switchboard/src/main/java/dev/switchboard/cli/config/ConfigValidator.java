package dev.switchboard.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Checks a configuration file against the launcher's options: every section must
 * be a server subcommand, every key one of its options, every value what the
 * option's converter accepts (checked by parsing the equivalent flag on a fresh
 * command line, so that the file and the flags can never disagree); then each
 * section's values together go through the same checks as the start
 * ({@link Validating}: ranges, URIs, options that go together), so that a file
 * that passes does not fail at start for a reason the file holds.
 */
public final class ConfigValidator {
    private final Supplier<CommandLine> launcher;

    /** {@code launcher} makes a fresh launcher command line (with {@code --config} installed) per check. */
    public ConfigValidator(Supplier<CommandLine> launcher) {
        this.launcher = launcher;
    }

    /** Loads the file and checks it; every problem is in the exception. */
    public ConfigFile check(Path path) throws ConfigException {
        ConfigFile file = ConfigFile.load(path);
        List<String> problems = problems(file);
        if (!problems.isEmpty()) {
            throw new ConfigException(path, problems);
        }
        return file;
    }

    List<String> problems(ConfigFile file) {
        CommandLine root = launcher.get();
        // The checking parser must not read a file itself (e.g. through $SWITCHBOARD_CONFIG).
        root.setDefaultValueProvider(null);
        List<String> problems = new ArrayList<>();
        for (String section : file.sectionNames()) {
            CommandLine command = root.getSubcommands().get(section);
            if (command == null || !ConfigOption.SECTIONS.contains(section)) {
                problems.add(section + ": unknown section; valid sections: " + String.join(", ", ConfigOption.SECTIONS));
                continue;
            }
            Map<String, OptionSpec> keys = ConfigKeys.keys(command.getCommandSpec());
            int before = problems.size();
            file.section(section).forEach((key, value) -> {
                String problem = check(root, command, keys, key, value);
                if (problem != null) {
                    problems.add(section + "." + key + ": " + problem);
                }
            });
            if (problems.size() == before) {
                String problem = validate(section, file.section(section), keys);
                if (problem != null) {
                    problems.add(problem);
                }
            }
        }
        return problems;
    }

    /** The section's values together, through the command's own start-up checks; null when they pass. */
    private String validate(String section, Map<String, JsonNode> values, Map<String, OptionSpec> keys) {
        CommandLine root = launcher.get();
        root.setDefaultValueProvider(null);
        List<String> args = new ArrayList<>();
        args.add(section);
        values.forEach((key, value) -> args.addAll(ConfigKeys.arguments(keys.get(key), value)));
        CommandLine command = root.getSubcommands().get(section);
        try {
            root.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.MissingParameterException e) {
            // a required option left to the environment or the command line; the others are parsed
        }
        if (!(command.getCommandSpec().userObject() instanceof Validating v)) {
            return null;
        }
        try {
            v.validate();
            return null;
        } catch (CommandLine.ParameterException e) {
            String message = e.getMessage();
            if (e.getArgSpec() instanceof OptionSpec option && keys.containsKey(ConfigKeys.key(option))) {
                String text = message.replaceFirst("^" + java.util.regex.Pattern.quote(option.longestName()) + ":?\\s*", "");
                return section + "." + ConfigKeys.key(option) + ": " + text;
            }
            return section + ": " + message;
        }
    }

    private static String check(CommandLine root, CommandLine command, Map<String, OptionSpec> keys, String key, JsonNode value) {
        OptionSpec option = keys.get(key);
        if (option == null) {
            return (key.equals("config") ? "a file cannot name another file" : "unknown key")
                    + "; valid keys of '" + command.getCommandName() + "': " + String.join(", ", keys.keySet());
        }
        try {
            // Parsed from the root: picocli expects a subcommand's parent to have been parsed too.
            List<String> args = new ArrayList<>();
            args.add(command.getCommandName());
            args.addAll(ConfigKeys.arguments(option, value));
            root.parseArgs(args.toArray(String[]::new));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        } catch (CommandLine.MissingParameterException e) {
            return null; // another option is required; the file need not hold every option
        } catch (CommandLine.ParameterException e) {
            return e.getMessage().replaceFirst("^Invalid value for option '[^']*': ", "");
        }
    }
}
