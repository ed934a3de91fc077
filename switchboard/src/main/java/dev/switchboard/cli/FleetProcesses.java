package dev.switchboard.cli;

import dev.switchboard.auth.ApiKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The child processes of {@link FleetCommand}: starts each with the fleet's
 * credentials in its environment (never on its command line, where {@code ps}
 * shows them), copies its output line by line with its name in front, reports
 * one that exits while the fleet runs, and stops them all: SIGTERM to each (their
 * shutdown hooks close them gracefully: an edge tells its clients to reconnect),
 * then SIGKILL to any still there after {@link #STOP_GRACE}. Each child also
 * watches this process ({@link ParentWatch}), so none outlives a fleet that was
 * killed outright.
 */
final class FleetProcesses {
    static final Duration STOP_GRACE = Duration.ofSeconds(20);

    /** A child exited or did not listen while the fleet was starting. */
    static final class ChildFailed extends Exception {
        private static final long serialVersionUID = 1L;

        ChildFailed(String message) {
            super(message);
        }
    }

    private record Child(String name, Process process, Thread pump) {
    }

    private final PrintStream out;
    private final List<String> java;
    private final String jwtSecret;
    private final String apiKey;
    private final String internalKey;
    private final List<Child> children = new ArrayList<>();
    private volatile boolean stopping;
    private volatile boolean running;

    /** {@code apiKey} is the secret of the fleet's platform key; {@code internalKey} the edges' credential at the message-service. */
    FleetProcesses(PrintStream out, List<String> java, String jwtSecret, String apiKey, String internalKey) {
        this.internalKey = internalKey;
        this.out = out;
        this.java = List.copyOf(java);
        this.jwtSecret = jwtSecret;
        this.apiKey = apiKey;
    }

    /** Starts {@code name}: the launcher with {@code args}. */
    synchronized void start(String name, List<String> args) throws ChildFailed {
        if (stopping) {
            throw new ChildFailed("the fleet is stopping");
        }
        List<String> cmd = new ArrayList<>(java);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SWITCHBOARD_JWT_SECRET", jwtSecret);
        pb.environment().put(AuthOptions.API_KEYS_ENV, ApiKeys.PLATFORM_PREFIX + apiKey);
        pb.environment().put(InternalKeyOption.ENV, internalKey);
        pb.environment().put(ParentWatch.ENV, Long.toString(ProcessHandle.current().pid()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ChildFailed("cannot start " + name + ": " + e.getMessage());
        }
        Thread pump = Thread.ofPlatform().daemon().name("fleet-log-" + name).start(() -> pump(name, p));
        children.add(new Child(name, p, pump));
        p.onExit().thenAccept(gone -> {
            if (!stopping) {
                say(name + " (pid " + gone.pid() + ") exited with code " + gone.exitValue()
                        + (running ? "; the rest of the fleet runs on (Ctrl-C stops it)" : ""));
            }
        });
        say("started " + name + " (pid " + p.pid() + ")");
    }

    /** Waits until {@code name} accepts connections on {@code port}. */
    void awaitPort(String name, String host, int port, Duration timeout) throws ChildFailed, InterruptedException {
        Process p = process(name);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new ChildFailed(name + " exited with code " + p.exitValue() + " while starting");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 500);
                return;
            } catch (IOException notYet) {
                // The CLI's own thread, starting the fleet: a child gives no signal when it listens, so ask again.
                Thread.sleep(200);
            }
        }
        throw new ChildFailed(name + " did not listen on " + host + ":" + port + " within " + timeout.toSeconds() + " s");
    }

    /** From now on a child's exit is reported as a failure of a running fleet. */
    void started() {
        running = true;
    }

    private synchronized Process process(String name) {
        return children.stream().filter(c -> c.name.equals(name)).findFirst().orElseThrow().process;
    }

    /** Stops every child (the last started first), SIGKILL after the grace period; idempotent. */
    void stop() {
        List<Child> all;
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            all = new ArrayList<>(children);
        }
        if (all.stream().anyMatch(c -> c.process.isAlive())) {
            say("stopping " + all.size() + " processes");
        }
        for (Child c : all.reversed()) {
            // SIGTERM through the handle: Process.destroy would also close our end of the child's output,
            // and its last lines (how it stopped) would be lost.
            c.process.toHandle().destroy();
        }
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (Child c : all) {
            try {
                if (!c.process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    say(c.name + " did not stop within " + STOP_GRACE.toSeconds() + " s: killing it");
                    c.process.descendants().forEach(ProcessHandle::destroyForcibly);
                    c.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                c.pump.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.process.destroyForcibly();
            }
        }
        say("stopped");
    }

    private void pump(String name, Process p) {
        String prefix = "[" + name + "] ";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (out) {
                    out.println(prefix + line);
                }
            }
        } catch (IOException gone) {
            // The child closed its output: it exited.
        }
    }

    private void say(String line) {
        synchronized (out) {
            out.println("[fleet] " + line);
        }
    }
}
