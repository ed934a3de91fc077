package dev.switchboard.loadgen;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A scenario file: Java properties whose keys are the long option names
 * without dashes ({@code scenario = fanout}, {@code connections = 5000},
 * {@code target = switchboard=ws://127.0.0.1:8080/ws, pusher=ws://127.0.0.1:6001/app/app-key}).
 * Options given on the command line win over the file. Multi-valued options
 * take comma-separated values.
 */
public final class ScenarioFile {
    private ScenarioFile() {
    }

    /**
     * Command-line arguments for every file entry whose option is not in {@code given}
     * (the long names already on the command line); unknown keys are an error.
     */
    public static List<String> args(Path file, CommandSpec spec, Set<String> given) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        List<String> args = new ArrayList<>();
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            OptionSpec opt = spec.findOption("--" + key);
            if (opt == null || opt.hidden() || key.equals("scenario-file")) {
                throw new IllegalArgumentException(file + ": unknown option '" + key + "'");
            }
            if (given.contains(opt.longestName())) {
                continue;
            }
            String value = p.getProperty(key).trim();
            if (opt.isMultiValue()) {
                for (String v : value.split(",")) {
                    if (!v.isBlank()) {
                        args.add(opt.longestName() + "=" + v.trim());
                    }
                }
            } else {
                args.add(opt.longestName() + "=" + value);
            }
        }
        return args;
    }
}
