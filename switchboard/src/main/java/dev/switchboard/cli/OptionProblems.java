package dev.switchboard.cli;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Turns what an {@code *Options} builder refuses ("maxOutboundBytes must be >= 65536: -5",
 * in the library's words, which name its fields) into what the operator typed:
 * "--max-outbound-bytes must be >= 65536: -5 (from configuration file f.yaml, key
 * edge.max-outbound-bytes)". A field maps to the option of the same name in kebab
 * case, or through the command's aliases where the names differ.
 */
final class OptionProblems {
    /** Java field names: a lower-case word with at least one capital (maxOutboundBytes), or the message's first word. */
    private static final Pattern FIELD = Pattern.compile("\\b[a-z]+(?:[A-Z][a-z0-9]*)+\\b|^[a-z]+\\b");

    private OptionProblems() {
    }

    /** The problem as a parameter error of {@code spec}'s command, naming its options and where their values came from. */
    static CommandLine.ParameterException of(CommandSpec spec, IllegalArgumentException e, Map<String, String> aliases) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        Matcher m = FIELD.matcher(message);
        StringBuilder sb = new StringBuilder();
        OptionSpec first = null;
        while (m.find()) {
            OptionSpec option = option(spec, m.group(), aliases);
            if (option != null && first == null) {
                first = option;
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(option == null ? m.group() : option.longestName()));
        }
        m.appendTail(sb);
        String text = sb + (first == null ? "" : Failures.source(first));
        return first == null ? new CommandLine.ParameterException(spec.commandLine(), text, e)
                : new CommandLine.ParameterException(spec.commandLine(), text, e, first, String.valueOf((Object) first.getValue()));
    }

    /** "--jwt-secret: must be at least 32 bytes (from $SWITCHBOARD_JWT_SECRET)": a problem with one option's value. */
    static CommandLine.ParameterException of(CommandSpec spec, String optionName, String problem, Throwable cause) {
        OptionSpec option = spec.findOption(optionName);
        String text = optionName + ": " + problem + (option == null ? "" : Failures.source(option));
        return new CommandLine.ParameterException(spec.commandLine(), text, cause, option,
                option == null ? null : String.valueOf((Object) option.getValue()));
    }

    private static OptionSpec option(CommandSpec spec, String field, Map<String, String> aliases) {
        String name = aliases.getOrDefault(field, "--" + kebab(field));
        return spec.findOption(name);
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
