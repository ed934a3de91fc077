package dev.switchboard.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Picocli asks this provider for the value of every option that was not given on
 * the command line. It answers from the environment when the option's default
 * names a variable that is set, else from the command's section of the
 * {@code --config} file, else null (the annotation's default applies). So the
 * precedence is flags, environment, file, defaults. The file is validated
 * whole on first use; a bad file stops the command with every problem listed.
 */
public final class ConfigDefaultProvider implements IDefaultValueProvider {
    private final ConfigValidator validator;
    private final Function<String, String> env;
    private final Map<Path, ConfigFile> files = new ConcurrentHashMap<>();

    public ConfigDefaultProvider(ConfigValidator validator, Function<String, String> env) {
        this.validator = validator;
        this.env = env;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || !ConfigKeys.configurable(option)) {
            return null;
        }
        CommandSpec command = option.command();
        Path path = ConfigOption.path(command, env);
        if (path == null) {
            return null;
        }
        String fromEnv = EnvDefaults.value(option, env);
        if (fromEnv != null) {
            return fromEnv;
        }
        JsonNode value = file(path, command).section(command.name()).get(ConfigKeys.key(option));
        // Validated on load, so the conversion cannot fail here.
        return value == null ? null : ConfigKeys.defaultString(option, value);
    }

    /**
     * Where the value of {@code option} came from when it was not given as a flag: {@code $NAME}, or
     * {@code configuration file F, key section.key}; null for a flag or a default. For messages that name
     * the place to fix.
     */
    public String source(OptionSpec option) {
        CommandSpec command = option.command();
        CommandLine.ParseResult parsed = command.commandLine() == null ? null : command.commandLine().getParseResult();
        if (parsed != null && parsed.hasMatchedOption(option)) {
            return null;
        }
        if (EnvDefaults.value(option, env) != null) {
            return "$" + EnvDefaults.variable(option);
        }
        Path path = ConfigOption.path(command, env);
        ConfigFile file = path == null ? null : files.get(path);
        String key = ConfigKeys.key(option);
        if (file != null && file.section(command.name()).containsKey(key)) {
            return "configuration file " + path + ", key " + command.name() + "." + key;
        }
        return null;
    }

    private ConfigFile file(Path path, CommandSpec command) {
        ConfigFile file = files.get(path);
        if (file == null) {
            try {
                file = validator.check(path);
            } catch (ConfigException e) {
                throw new CommandLine.ParameterException(command.commandLine(), e.getMessage());
            }
            files.put(path, file);
        }
        return file;
    }
}
