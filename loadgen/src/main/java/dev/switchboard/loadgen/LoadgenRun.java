package dev.switchboard.loadgen;

import dev.switchboard.loadgen.check.Threshold.Verdict;
import dev.switchboard.loadgen.check.Thresholds;
import dev.switchboard.loadgen.report.HlogSink;
import dev.switchboard.loadgen.report.HtmlReport;
import dev.switchboard.loadgen.report.RunEnvironment;
import dev.switchboard.loadgen.report.SummaryJson;
import dev.switchboard.loadgen.report.SummaryTable;
import dev.switchboard.loadgen.report.TargetSummary;
import dev.switchboard.loadgen.run.TargetRunner;
import dev.switchboard.loadgen.run.WorkerLauncher;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One invocation of loadgen: the scenario against each target in turn, then
 * the thresholds and the reports (table on stdout; with an output directory
 * also {@code summary.json}, {@code summary.txt}, {@code latency.hlog} and
 * {@code report.html}). Returns the exit code, one of the {@code EXIT_*}
 * constants, after a last line that says which and why.
 */
public final class LoadgenRun {
    /** Every target ran and met every threshold. */
    public static final int EXIT_PASSED = 0;
    /** Every target ran, and a threshold was not met (the default one included: connect_failures==0). */
    public static final int EXIT_THRESHOLDS_FAILED = 1;
    /** The command line or the scenario file is wrong (picocli's usage error); nothing ran. */
    public static final int EXIT_USAGE = 2;
    /** A target's run could not complete (setup failed, a worker died, the --timeout passed). */
    public static final int EXIT_ABORTED = 3;

    private final LoadgenOptions options;
    private final PrintStream out;
    private final WorkerLauncher launcher;
    private final RunEnvironment environment;

    public LoadgenRun(LoadgenOptions options, PrintStream out, WorkerLauncher launcher) {
        this(options, out, launcher, RunEnvironment.current("loadgen " + implementationVersion()));
    }

    public LoadgenRun(LoadgenOptions options, PrintStream out, WorkerLauncher launcher, RunEnvironment environment) {
        this.options = options;
        this.out = out;
        this.launcher = launcher;
        this.environment = environment;
    }

    static String implementationVersion() {
        String v = LoadgenRun.class.getPackage().getImplementationVersion();
        return v == null ? "(classes, version unknown)" : v;
    }

    public int run() throws Exception {
        Path dir = options.outDir();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        out.println("loadgen: " + options);
        List<TargetSummary> summaries = new ArrayList<>();
        List<String> aborted = new ArrayList<>();
        try (HlogSink hlog = dir == null ? null : new HlogSink(dir.resolve("latency.hlog"), "switchboard loadgen " + options.scenario().id())) {
            TargetRunner runner = new TargetRunner(options, out, launcher);
            for (Target warm : options.warmTargets()) {
                for (int pass = 1; pass <= options.warmPasses(); pass++) {
                    out.println("loadgen: " + warm + ": warm-up pass " + pass + " of " + options.warmPasses() + " (not measured)");
                    try {
                        runner.run(warm, null);
                    } catch (Exception e) {
                        out.println("loadgen: warm-up against " + warm + " failed: " + e.getMessage());
                        aborted.add("warm-up " + warm.label() + ": " + e.getMessage());
                    }
                }
            }
            int ownWarmPasses = options.warmTargets().isEmpty() ? options.warmPasses() : 0;
            for (Target target : options.targets()) {
                try {
                    for (int pass = 1; pass <= ownWarmPasses; pass++) {
                        out.println("loadgen: " + target + ": warm-up pass " + pass + " of " + ownWarmPasses + " (not measured)");
                        runner.run(target, null);
                    }
                    summaries.add(runner.run(target, hlog == null ? null : hlog.forTarget(target.label())));
                } catch (Exception e) {
                    out.println("loadgen: " + target + " failed: " + e.getMessage());
                    aborted.add(target.label() + ": " + e.getMessage());
                }
            }
        }
        List<Verdict> verdicts = Thresholds.check(options.thresholds(), summaries);
        long failed = Thresholds.failures(verdicts);
        int code = !aborted.isEmpty() ? EXIT_ABORTED : failed > 0 ? EXIT_THRESHOLDS_FAILED : EXIT_PASSED;
        String outcome = outcome(code, verdicts, failed, aborted);
        if (!summaries.isEmpty()) {
            String table = SummaryTable.render(summaries);
            out.println();
            out.print(table);
            out.println();
            out.println("thresholds:");
            out.print(Thresholds.render(verdicts));
            if (dir != null) {
                write(dir.resolve("summary.txt"), table + "\nthresholds:\n" + Thresholds.render(verdicts) + "\n" + outcome + "\n");
                write(dir.resolve("summary.json"), SummaryJson.render(options.describe(), environment, summaries, verdicts, outcome));
                write(dir.resolve("report.html"), HtmlReport.render("loadgen " + options.scenario().id(), outcome,
                        options.describe(), environment, summaries, verdicts));
                out.println("reports in " + dir.toAbsolutePath());
            }
        }
        out.println("loadgen: " + outcome);
        return code;
    }

    /** The last line: PASSED, FAILED (which thresholds, measured how) or ABORTED (which target, why), and the exit code. */
    static String outcome(int code, List<Verdict> verdicts, long failed, List<String> aborted) {
        if (code == EXIT_ABORTED) {
            return "ABORTED (exit " + code + "): " + String.join("; ", aborted);
        }
        if (code == EXIT_THRESHOLDS_FAILED) {
            StringBuilder sb = new StringBuilder("FAILED (exit " + code + "): " + failed + " of " + verdicts.size() + " thresholds not met: ");
            String sep = "";
            for (Verdict v : verdicts) {
                if (!v.passed()) {
                    sb.append(sep).append(v.threshold().expression()).append(" (").append(v.target()).append(": ").append(v.measured()).append(')');
                    sep = ", ";
                }
            }
            return sb.toString();
        }
        return "PASSED (exit 0): " + verdicts.size() + " of " + verdicts.size() + " thresholds met";
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
