package dev.switchboard.cli;

import dev.switchboard.cli.config.ConfigDefaultProvider;
import java.io.PrintWriter;
import java.util.List;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How the launcher reports what stops it: one line, {@code switchboard edge: ...},
 * that names the flag, environment variable or configuration key, the bad value
 * and the fix; no usage dump, no stack trace unless {@code --debug} is given. A
 * bad command line exits 2, a failed start 1. With JSON logs (the images, or
 * {@code SWITCHBOARD_LOG_FORMAT=json}) the line is a log event, so that log
 * pipelines see it.
 */
final class Failures implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {
    static final int USAGE = 2;
    static final int START = 1;

    private final boolean jsonLogs;

    Failures(boolean jsonLogs) {
        this.jsonLogs = jsonLogs;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        String line = prefix(cl.getCommandSpec()) + describe(e);
        if (!(e instanceof UnmatchedArgumentException) || !line.contains("did you mean")) {
            line += " (see '" + cl.getCommandSpec().qualifiedName() + " --help')";
        }
        report(cl, line, debug(cl) ? e : null);
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        if (e instanceof ParameterException pe) {
            return handleParseException(pe, parsed.originalArgs().toArray(String[]::new));
        }
        String line = prefix(cl.getCommandSpec()) + (e instanceof StartupFailure ? e.getMessage() : unexpected(e));
        report(cl, line, debug(cl) ? e : null);
        return START;
    }

    private static String describe(ParameterException e) {
        if (e instanceof UnmatchedArgumentException u) {
            List<String> suggestions = u.getSuggestions().stream()
                    .filter(x -> !List.of("--help", "-h", "--version", "-V").contains(x)).toList();
            String what = u.getUnmatched().isEmpty() ? "an unknown argument" : "unknown option or argument '" + u.getUnmatched().get(0) + "'";
            return what + (suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?");
        }
        String message = e.getMessage();
        ArgSpec arg = e.getArgSpec();
        if (arg instanceof OptionSpec option && message.startsWith("Invalid value for option '")) {
            message = message.replaceFirst("^Invalid value for option '([^']*)': ", "");
            return "invalid value for " + option.longestName() + source(option) + ": " + message;
        }
        return message;
    }

    /** " (from $SWITCHBOARD_REDIS)" or " (from configuration file f.yaml, key edge.port)" when not given as a flag. */
    static String source(OptionSpec option) {
        if (option.command() == null || !(option.command().defaultValueProvider() instanceof ConfigDefaultProvider provider)) {
            return "";
        }
        String source = provider.source(option);
        return source == null ? "" : " (from " + source + ")";
    }

    private static String unexpected(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root.getMessage() == null ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": " + root.getMessage();
        return "failed to start: " + what + " (run with --debug for the stack trace)";
    }

    private static String prefix(CommandSpec spec) {
        return spec.qualifiedName() + ": ";
    }

    private static boolean debug(CommandLine cl) {
        for (CommandLine c = cl; c != null; c = c.getParent()) {
            OptionSpec o = c.getCommandSpec().findOption("--debug");
            if (o != null && Boolean.TRUE.equals(o.getValue())) {
                return true;
            }
        }
        return false;
    }

    private void report(CommandLine cl, String line, Throwable trace) {
        if (jsonLogs) {
            LoggerFactory.getLogger(Main.class).error(line, trace);
            return;
        }
        PrintWriter err = cl.getErr();
        err.println(line);
        if (trace != null) {
            trace.printStackTrace(err);
        }
        err.flush();
    }
}
