package dev.switchboard.cli.config;

import java.nio.file.Path;
import java.util.List;

/** A configuration file that cannot be used, with every problem found in it (one line each). */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final List<String> problems;

    public ConfigException(Path file, List<String> problems) {
        super(format(file, problems));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    public Path file() {
        return file;
    }

    public List<String> problems() {
        return problems;
    }

    /** One line for one problem; a list under the file's name for several. */
    private static String format(Path file, List<String> problems) {
        if (problems.size() == 1) {
            return "configuration file " + file + ": " + problems.get(0);
        }
        StringBuilder sb = new StringBuilder("configuration file ").append(file).append(':');
        problems.forEach(p -> sb.append(System.lineSeparator()).append("  ").append(p));
        return sb.toString();
    }
}
