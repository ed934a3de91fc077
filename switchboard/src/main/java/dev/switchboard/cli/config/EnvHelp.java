package dev.switchboard.cli.config;

import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Help that says, under every option that an environment variable can set,
 * which one ({@code env: $SWITCHBOARD_REDIS}), from the option's own default: so
 * the list is complete and never drifts from the code.
 */
final class EnvHelp implements CommandLine.IHelpFactory {
    @Override
    public Help create(CommandSpec commandSpec, ColorScheme colorScheme) {
        return new Help(commandSpec, colorScheme) {
            @Override
            public IOptionRenderer createDefaultOptionRenderer() {
                IOptionRenderer base = super.createDefaultOptionRenderer();
                return (option, labels, scheme) -> {
                    Text[][] rows = base.render(option, labels, scheme);
                    String variable = EnvDefaults.variable(option);
                    if (variable == null || rows.length == 0) {
                        return rows;
                    }
                    Text[][] out = Arrays.copyOf(rows, rows.length + 1);
                    Text[] line = new Text[rows[0].length];
                    Arrays.fill(line, scheme.text(""));
                    line[line.length - 1] = scheme.text("  env: $" + variable);
                    out[rows.length] = line;
                    return out;
                };
            }
        };
    }
}
