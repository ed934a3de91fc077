package dev.switchboard.cli.config;

import java.lang.reflect.AnnotatedElement;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Reads which environment variable an option defaults to ({@code defaultValue = "${env:NAME}"}
 * on its annotation), so that the environment keeps precedence over the file.
 */
final class EnvDefaults {
    /** {@code ${env:NAME}}, or {@code ${env:NAME:-fallback}} (picocli's default when the variable is unset). */
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?}");

    private EnvDefaults() {
    }

    /** The variable named by the option's annotation default, or null when it names none. */
    static String variable(OptionSpec option) {
        // The spec's defaultValue() is already interpolated; the annotation keeps the raw text.
        if (!(option.userObject() instanceof AnnotatedElement element)) {
            return null;
        }
        Option annotation = element.getAnnotation(Option.class);
        if (annotation == null) {
            return null;
        }
        Matcher m = ENV.matcher(annotation.defaultValue());
        return m.matches() ? m.group(1) : null;
    }

    /** The environment's value for the option, or null when it names no variable or that variable is unset or blank. */
    static String value(OptionSpec option, Function<String, String> env) {
        String name = variable(option);
        if (name == null) {
            return null;
        }
        String value = env.apply(name);
        return value == null || value.isBlank() ? null : value;
    }
}
