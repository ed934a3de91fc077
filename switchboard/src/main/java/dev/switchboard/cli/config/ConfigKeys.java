package dev.switchboard.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * How an option is named and written in the file: the key is the option's
 * longest name without the dashes ({@code --api-port} is {@code api-port}); a
 * value is a scalar, or a list for an option that splits its value (the
 * elements are joined with the separator), so that a file value goes through
 * exactly the converter that the same flag would.
 */
final class ConfigKeys {
    /** A split regex that is a plain literal, so that list elements can be joined with it. */
    private static final Pattern LITERAL = Pattern.compile("[^\\\\.\\[\\]{}()*+?^$|]+");

    private ConfigKeys() {
    }

    static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    /** Options that may come from the file: all but help, version, --debug, deprecated (hidden) names and --config itself. */
    static boolean configurable(OptionSpec option) {
        return !option.usageHelp() && !option.versionHelp() && !option.hidden() && !option.inherited()
                && !option.longestName().equals(ConfigOption.NAME);
    }

    /** The file keys of a command in the order its help lists them (sorted by name unless the command says otherwise). */
    static List<OptionSpec> ordered(CommandSpec command) {
        List<OptionSpec> options = new ArrayList<>(command.options().stream().filter(ConfigKeys::configurable).toList());
        if (command.usageMessage().sortOptions()) {
            options.sort(java.util.Comparator.comparing(ConfigKeys::key));
        }
        return options;
    }

    /** The file keys of a command, sorted, mapped to their options. */
    static Map<String, OptionSpec> keys(CommandSpec command) {
        Map<String, OptionSpec> keys = new TreeMap<>();
        command.options().stream().filter(ConfigKeys::configurable).forEach(o -> keys.put(key(o), o));
        return keys;
    }

    /**
     * The value as a default-value string for the option, or null for an empty list (none, as if the key were
     * absent); IllegalArgumentException says what is wrong with it.
     */
    static String defaultString(OptionSpec option, JsonNode node) {
        if (isFlag(option)) {
            return String.valueOf(flag(node));
        }
        if (node.isArray() && node.isEmpty()) {
            return null;
        }
        if (!node.isArray()) {
            return scalar(node);
        }
        List<String> elements = new ArrayList<>();
        node.forEach(e -> elements.add(scalar(e)));
        if (elements.size() == 1) {
            return elements.get(0);
        }
        String split = option.splitRegex();
        if (!option.isMultiValue() || split.isEmpty() || !LITERAL.matcher(split).matches()) {
            throw new IllegalArgumentException("takes one value, not a list" + (option.isMultiValue()
                    ? " (give several with the flag repeated on the command line)" : ""));
        }
        for (String e : elements) {
            if (e.contains(split)) {
                throw new IllegalArgumentException("a list element may not contain '" + split + "': " + e);
            }
        }
        return String.join(split, elements);
    }

    /** The command-line arguments equivalent to the value, for checking it with the parser. */
    static List<String> arguments(OptionSpec option, JsonNode node) {
        if (isFlag(option)) {
            return flag(node) ? List.of(option.longestName()) : List.of();
        }
        String value = defaultString(option, node);
        return value == null ? List.of() : List.of(option.longestName() + "=" + value);
    }

    private static boolean isFlag(OptionSpec option) {
        return option.arity().max() == 0;
    }

    private static boolean flag(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual() && (node.textValue().equalsIgnoreCase("true") || node.textValue().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(node.textValue());
        }
        throw new IllegalArgumentException("expected true or false, got " + node);
    }

    private static String scalar(JsonNode node) {
        if (!node.isValueNode() || node.isNull()) {
            throw new IllegalArgumentException("expected a value, got " + node);
        }
        return node.asText();
    }
}
