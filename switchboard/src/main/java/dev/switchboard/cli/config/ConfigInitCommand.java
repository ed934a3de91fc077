package dev.switchboard.cli.config;

import java.io.PrintWriter;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code switchboard config init}: prints a configuration file with every key of
 * every section, each with what it does, its environment variable and its
 * default, commented out (so the file means "all defaults" until a line is
 * uncommented). Made from the options themselves, so it is never out of date.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Print a commented configuration file with every key, its meaning and its default: "
                + "switchboard config init > switchboard.yaml")
final class ConfigInitCommand implements Runnable {
    private static final int WIDTH = 100;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./@+-]+");

    private final Supplier<CommandLine> launcher;

    @CommandLine.Spec
    CommandSpec spec;

    ConfigInitCommand(Supplier<CommandLine> launcher) {
        this.launcher = launcher;
    }

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(render(launcher.get()));
        out.flush();
    }

    static String render(CommandLine root) {
        StringBuilder sb = new StringBuilder();
        String[] version = root.getCommandSpec().version();
        sb.append("# Switchboard configuration").append(version.length > 0 ? " (" + version[0] + ")" : "").append('\n')
                .append("# One section per server subcommand; keys are its flags without the dashes, values are written as on\n")
                .append("# the command line (durations as 250ms, 25s, 2m; several values as a YAML list). Precedence: flags, then\n")
                .append("# environment variables, then this file, then the defaults (shown commented out below).\n")
                .append("# Keep secrets out of the file: give them as environment variables.\n")
                .append("# Use it with --config FILE or $SWITCHBOARD_CONFIG; check it with: switchboard config check FILE\n");
        for (String section : ConfigOption.SECTIONS) {
            CommandSpec command = root.getSubcommands().get(section).getCommandSpec();
            sb.append('\n').append(section).append(":\n");
            for (OptionSpec option : ConfigKeys.ordered(command)) {
                entry(sb, option);
            }
        }
        return sb.toString();
    }

    private static void entry(StringBuilder sb, OptionSpec option) {
        String description = String.join(" ", option.description()).strip();
        if (option.defaultValue() != null) {
            // The value is on the key's line below.
            description = description.replace(" (default: " + option.defaultValue() + ")", "");
        }
        String variable = EnvDefaults.variable(option);
        if (variable != null) {
            description += " Environment: $" + variable + ".";
        }
        comment(sb, description);
        String key = ConfigKeys.key(option);
        if (variable != null) {
            sb.append("  # ").append(key).append(":\n");
        } else if (option.arity().max() == 0) {
            sb.append("  # ").append(key).append(": false\n");
        } else if (option.isMultiValue()) {
            sb.append("  # ").append(key).append(": []\n");
        } else {
            String value = option.defaultValue();
            sb.append("  # ").append(key).append(':').append(value == null ? "" : " " + yaml(value)).append('\n');
        }
    }

    /** The text as comment lines of at most {@link #WIDTH} characters. */
    private static void comment(StringBuilder sb, String text) {
        StringBuilder line = new StringBuilder("  #");
        for (String word : text.split("\\s+")) {
            if (line.length() + 1 + word.length() > WIDTH && line.length() > 3) {
                sb.append(line).append('\n');
                line = new StringBuilder("  #");
            }
            line.append(' ').append(word);
        }
        sb.append(line).append('\n');
    }

    private static String yaml(String value) {
        return PLAIN.matcher(value).matches() ? value : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
