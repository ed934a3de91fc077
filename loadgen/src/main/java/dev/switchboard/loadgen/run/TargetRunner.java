package dev.switchboard.loadgen.run;

import dev.switchboard.loadgen.LoadgenOptions;
import dev.switchboard.loadgen.Target;
import dev.switchboard.loadgen.metrics.Interval;
import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.metrics.LocalIntervalSource;
import dev.switchboard.loadgen.metrics.ProgressReporter;
import dev.switchboard.loadgen.report.TargetSummary;
import dev.switchboard.loadgen.scenario.Coordinator;
import dev.switchboard.loadgen.scenario.DrainGate;
import dev.switchboard.loadgen.scenario.Results;
import dev.switchboard.loadgen.scenario.Scenario;
import dev.switchboard.loadgen.scenario.Scenarios;
import dev.switchboard.loadgen.scenario.ServerProbe;
import dev.switchboard.loadgen.scenario.Slice;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the scenario against one target, in this process or spread over
 * worker processes, with the progress line running, and returns its summary.
 */
public final class TargetRunner {
    private final LoadgenOptions options;
    private final PrintStream out;
    private final WorkerLauncher launcher;

    public TargetRunner(LoadgenOptions options, PrintStream out, WorkerLauncher launcher) {
        this.options = options;
        this.out = out;
        this.launcher = launcher;
    }

    public TargetSummary run(Target target, Consumer<Interval> intervalSink) throws Exception {
        Scenario scenario = Scenarios.create(options.scenario());
        Results results = new Results();
        Coordinator coordinator = new Coordinator(options, probe(target), results);
        Consumer<String> hook = phase -> scenario.atBarrier(phase, coordinator);
        int workers = options.effectiveWorkers();
        String label = target.label() + " " + options.scenario().id();
        ProgressReporter.Recording rec;
        if (workers == 1) {
            LoadStats stats = new LoadStats();
            try (ProgressReporter reporter = new ProgressReporter(new LocalIntervalSource(stats), out, label, intervalSink).start()) {
                try {
                    ScenarioExecution.run(options, target, scenario, Slice.WHOLE, stats, hook, DrainGate.LOCAL, results);
                } catch (Exception e) {
                    throw withErrors(e, reporter.finish());
                }
                rec = reporter.finish();
            }
        } else {
            out.println("loadgen: " + options.connections() + " connections over " + workers + " worker processes");
            List<List<String>> commands = launcher.commands(options, target, workers);
            try (WorkerPool pool = new WorkerPool(commands, launcher.environment(options), hook,
                    options.drain(), results, out);
                 ProgressReporter reporter = new ProgressReporter(pool, out, label, intervalSink).start()) {
                try {
                    pool.awaitDone(System.nanoTime() + options.timeout().toNanos());
                } catch (Exception e) {
                    throw withErrors(e, reporter.finish());
                }
                rec = reporter.finish();
            }
        }
        scenario.finish(results);
        Map<String, Double> figures = results.values();
        return new TargetSummary(target.label(), target.url().toString(), options.scenario().id(), rec.seconds(),
                rec.counters(), rec.latency(), rec.handshake(), figures, rec.startEpochMillis(), rec.series());
    }

    /** The failure, with the errors seen until then (why no publisher became ready, say), so the last line explains it. */
    private static Exception withErrors(Exception e, ProgressReporter.Recording rec) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        if (rec.counters().errorCount() == 0) {
            return new IllegalStateException(why, e);
        }
        return new IllegalStateException(why + " (errors: " + rec.counters().describeTopReasons() + ")", e);
    }

    private ServerProbe probe(Target target) {
        Long pid = options.serverPids().get(target.label());
        boolean ours = target.protocol() == Target.ProtocolKind.SWITCHBOARD;
        URI stats = ours ? options.apiUrl().resolve("/v1/stats") : null;
        return new ServerProbe(stats, ours ? options.apiKey() : null, pid);
    }
}
