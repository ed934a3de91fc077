package dev.switchboard.loadgen.run;

import dev.switchboard.loadgen.metrics.Counters;
import dev.switchboard.loadgen.metrics.HistogramCodec;
import dev.switchboard.loadgen.metrics.Interval;
import dev.switchboard.loadgen.metrics.IntervalSource;
import dev.switchboard.loadgen.scenario.Results;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The worker processes of one target's run, seen from the parent: starts
 * them, merges what they report (counters summed over each worker's latest,
 * histograms added), releases barriers when every worker reached them
 * (running the coordinator hook first), ends the drain when the whole run
 * delivered what it owes ({@link RunDrain}), and collects their results.
 * Reader threads, one per worker, do the blocking reads.
 */
final class WorkerPool implements IntervalSource, AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final List<Writer> stdins = new ArrayList<>();
    private final Counters[] latest;
    private final boolean[] done;
    private final Map<String, Integer> arrived = new HashMap<>();
    private final Consumer<String> hook;
    private final RunDrain drain;
    private final Results results;
    private final PrintStream passthrough;
    private Histogram latency = HistogramCodec.empty();
    private Histogram handshake = HistogramCodec.empty();
    private String failure;

    /**
     * @param commands one command line per worker
     * @param env extra environment of the workers (secrets stay out of their command lines)
     * @param hook the coordinator's barrier hook; runs on a reader thread with every worker waiting
     * @param drain the longest drain after the last worker finished publishing ({@code --drain})
     */
    WorkerPool(List<List<String>> commands, Map<String, String> env, Consumer<String> hook, Duration drain,
               Results results, PrintStream passthrough) throws IOException {
        this.latest = new Counters[commands.size()];
        Arrays.fill(latest, Counters.ZERO);
        this.done = new boolean[commands.size()];
        this.hook = hook;
        this.drain = new RunDrain(commands.size(), drain.toNanos());
        this.results = results;
        this.passthrough = passthrough;
        for (int w = 0; w < commands.size(); w++) {
            ProcessBuilder pb = new ProcessBuilder(commands.get(w)).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().putAll(env);
            Process p = pb.start();
            processes.add(p);
            stdins.add(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
        }
        for (int w = 0; w < processes.size(); w++) {
            int worker = w;
            Thread t = new Thread(() -> read(worker), "loadgen-worker-" + w);
            t.setDaemon(true);
            t.start();
        }
    }

    private void read(int w) {
        Process p = processes.get(w);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                handle(w, line);
            }
            int code = p.waitFor();
            synchronized (this) {
                if (!done[w] || code != 0) {
                    fail("worker " + w + " exited with code " + code + (done[w] ? "" : " before finishing"));
                }
            }
        } catch (IOException | RuntimeException e) {
            fail("worker " + w + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(int w, String line) {
        if (line.startsWith(WorkerLines.INTERVAL)) {
            String[] p = line.substring(WorkerLines.INTERVAL.length()).split(" ");
            Histogram l = HistogramCodec.decode(p[1]);
            Histogram h = HistogramCodec.decode(p[2]);
            synchronized (this) {
                latest[w] = Counters.decode(p[0]);
                latency.add(l);
                handshake.add(h);
            }
        } else if (line.startsWith(WorkerLines.BARRIER)) {
            arrive(line.substring(WorkerLines.BARRIER.length()));
        } else if (line.startsWith(WorkerLines.DRAIN)) {
            String[] p = line.substring(WorkerLines.DRAIN.length()).split(" ");
            if (drain.report(w, Long.parseLong(p[0]), Long.parseLong(p[1]), System.nanoTime())) {
                release(WorkerLines.DRAIN_PHASE);
            }
        } else if (line.startsWith(WorkerLines.RESULT)) {
            results.putEncoded(line.substring(WorkerLines.RESULT.length()));
        } else if (line.equals(WorkerLines.DONE)) {
            synchronized (this) {
                done[w] = true;
                notifyAll();
            }
        } else {
            passthrough.println("[worker " + w + "] " + line);
        }
    }

    private void arrive(String phase) {
        boolean all;
        synchronized (this) {
            int n = arrived.merge(phase, 1, Integer::sum);
            all = n == processes.size();
        }
        if (!all) {
            return;
        }
        try {
            hook.accept(phase);
        } catch (RuntimeException e) {
            fail("coordinator at " + phase + ": " + e.getMessage());
            return;
        }
        release(phase);
    }

    private void release(String phase) {
        synchronized (this) {
            for (Writer in : stdins) {
                try {
                    in.write(WorkerLines.GO + phase + "\n");
                    in.flush();
                } catch (IOException e) {
                    fail("cannot release a worker at " + phase + ": " + e);
                }
            }
        }
    }

    private synchronized void fail(String why) {
        if (failure == null) {
            failure = why;
            processes.forEach(Process::destroy);
        }
        notifyAll();
    }

    @Override
    public synchronized Interval poll() {
        Counters sum = Counters.ZERO;
        for (Counters c : latest) {
            sum = sum.plus(c);
        }
        Interval i = new Interval(sum, latency, handshake);
        latency = HistogramCodec.empty();
        handshake = HistogramCodec.empty();
        return i;
    }

    /** Waits until every worker finished; throws if one failed or the deadline passed. */
    synchronized void awaitDone(long deadlineNanos) throws InterruptedException {
        while (failure == null && !allDone()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                fail("workers did not finish before the run's timeout");
                break;
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    private boolean allDone() {
        for (boolean d : done) {
            if (!d) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
