package dev.switchboard.loadgen.run;

import dev.switchboard.loadgen.LoadgenCommand;
import dev.switchboard.loadgen.LoadgenOptions;
import dev.switchboard.loadgen.metrics.HistogramCodec;
import dev.switchboard.loadgen.metrics.Interval;
import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.metrics.LocalIntervalSource;
import dev.switchboard.loadgen.scenario.Results;
import dev.switchboard.loadgen.scenario.Scenarios;
import dev.switchboard.loadgen.scenario.Slice;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import picocli.CommandLine;

/**
 * Entry point of a worker process: runs one slice of one target's scenario
 * and reports to its parent over stdout ({@link WorkerLines}). Started by
 * {@link WorkerPool} with the parent's classpath and explicit options.
 */
public final class WorkerMain {
    private static final long DRAIN_REPORT_MILLIS = 50;

    private final PrintStream out;
    private final BufferedReader in;
    private final LocalIntervalSource source;
    /** The interval reports, and the drain reports while draining. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    private WorkerMain(PrintStream out, BufferedReader in, LoadStats stats) {
        this.out = out;
        this.in = in;
        this.source = new LocalIntervalSource(stats);
    }

    public static void main(String[] args) {
        // stdout is the line protocol: everything else (logs, stray prints) goes to stderr.
        PrintStream protocolOut = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        LoadgenCommand cmd = new LoadgenCommand();
        new CommandLine(cmd).parseArgs(args);
        LoadgenOptions o = cmd.options();
        LoadStats stats = new LoadStats();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int code = new WorkerMain(protocolOut, in, stats).run(o, cmd.workerSlice(), stats);
        System.exit(code);
    }

    private int run(LoadgenOptions o, Slice slice, LoadStats stats) {
        timer.scheduleAtFixedRate(this::report, 1, 1, TimeUnit.SECONDS);
        Results results = new Results();
        int code = 0;
        try {
            ScenarioExecution.run(o, o.targets().get(0), Scenarios.create(o.scenario()), slice, stats, this::barrier,
                    this::drain, results);
        } catch (Exception e) {
            e.printStackTrace(System.err);
            code = 1;
        } finally {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        report();
        for (String r : results.encode()) {
            send(WorkerLines.RESULT + r);
        }
        send(WorkerLines.DONE);
        return code;
    }

    private void report() {
        Interval i = source.poll();
        send(WorkerLines.INTERVAL + i.counters().encode() + " " + HistogramCodec.encode(i.latency())
                + " " + HistogramCodec.encode(i.handshake()));
    }

    private void barrier(String phase) {
        send(WorkerLines.BARRIER + phase);
        awaitGo(phase);
    }

    /**
     * The drain, coordinated by the parent ({@link RunDrain}): reports what this worker's publications owe and
     * what its subscribers received until the parent says the whole run is drained. The parent ends it
     * {@code --drain} after the last worker finished publishing; {@code max} (this worker's share of that) is
     * the parent's to apply.
     */
    private void drain(long expected, LongSupplier delivered, Duration max) {
        ScheduledFuture<?> reporting = timer.scheduleAtFixedRate(
                () -> send(WorkerLines.DRAIN + expected + " " + delivered.getAsLong()),
                0, DRAIN_REPORT_MILLIS, TimeUnit.MILLISECONDS);
        try {
            awaitGo(WorkerLines.DRAIN_PHASE);
        } finally {
            reporting.cancel(false);
        }
    }

    private void awaitGo(String phase) {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals(WorkerLines.GO + phase)) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("parent went away at barrier " + phase);
    }

    private synchronized void send(String line) {
        out.println(line);
        out.flush();
    }
}
