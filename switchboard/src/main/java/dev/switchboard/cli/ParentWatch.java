package dev.switchboard.cli;

import java.util.Optional;

/**
 * Ends this process when the process named by {@value #ENV} ends: set by
 * {@code switchboard fleet} for its children, so that a fleet killed outright
 * (SIGKILL, a crash) leaves no orphans. The exit runs the shutdown hooks, so the
 * child still stops gracefully.
 */
final class ParentWatch {
    static final String ENV = "SWITCHBOARD_FLEET_PARENT_PID";
    /** The exit status of a process stopped by SIGTERM, which this stands in for. */
    private static final int TERMINATED = 143;

    private ParentWatch() {
    }

    /** Starts watching when the environment names a parent; otherwise does nothing. */
    static void fromEnvironment() {
        String pid = System.getenv(ENV);
        if (pid == null || pid.isBlank()) {
            return;
        }
        Optional<ProcessHandle> parent;
        try {
            parent = ProcessHandle.of(Long.parseLong(pid.strip()));
        } catch (NumberFormatException e) {
            return;
        }
        if (parent.isEmpty()) {
            System.exit(TERMINATED);
        }
        parent.get().onExit().thenRun(() -> System.exit(TERMINATED));
    }
}
