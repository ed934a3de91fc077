package dev.switchboard.loadgen;

import dev.switchboard.loadgen.report.HlogSink;
import dev.switchboard.loadgen.report.PercentilePlot;
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
 * the reports (table on stdout; with an output directory also
 * {@code summary.json}, {@code summary.txt}, {@code latency.hlog} and
 * {@code latency.html}). Returns the exit code: 0, or 2 if a target's run failed.
 */
public final class LoadgenRun {
    private final LoadgenOptions options;
    private final PrintStream out;
    private final WorkerLauncher launcher;

    public LoadgenRun(LoadgenOptions options, PrintStream out, WorkerLauncher launcher) {
        this.options = options;
        this.out = out;
        this.launcher = launcher;
    }

    public int run() throws Exception {
        Path dir = options.outDir();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        out.println("loadgen: " + options);
        List<TargetSummary> summaries = new ArrayList<>();
        int code = 0;
        try (HlogSink hlog = dir == null ? null : new HlogSink(dir.resolve("latency.hlog"), "switchboard loadgen " + options.scenario().id())) {
            TargetRunner runner = new TargetRunner(options, out, launcher);
            for (Target target : options.targets()) {
                try {
                    for (int pass = 1; pass <= options.warmPasses(); pass++) {
                        out.println("loadgen: " + target + ": warm-up pass " + pass + " of " + options.warmPasses() + " (not measured)");
                        runner.run(target, null);
                    }
                    summaries.add(runner.run(target, hlog == null ? null : hlog.forTarget(target.label())));
                } catch (Exception e) {
                    out.println("loadgen: " + target + " failed: " + e.getMessage());
                    code = 2;
                }
            }
        }
        if (summaries.isEmpty()) {
            return code;
        }
        String table = SummaryTable.render(summaries);
        out.println();
        out.print(table);
        if (dir != null) {
            write(dir.resolve("summary.txt"), table);
            write(dir.resolve("summary.json"), SummaryJson.render(options.describe(), summaries));
            write(dir.resolve("latency.html"), PercentilePlot.html("loadgen " + options.scenario().id(), summaries));
            out.println("reports in " + dir.toAbsolutePath());
        }
        return code;
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
