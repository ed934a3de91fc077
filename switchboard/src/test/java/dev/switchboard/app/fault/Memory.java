package dev.switchboard.app.fault;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory figures for fault reports: the test JVM's live heap, a process's resident set. */
final class Memory {
    private Memory() {
    }

    /**
     * Heap used after full collections: the servers that run inside the test JVM
     * (message-service, in-JVM edge nodes) plus the clients, without garbage.
     */
    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Resident set size of a process (VmRSS), or -1 when it is gone. */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException gone) {
            return -1;
        }
        return -1;
    }

    static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.1f MiB", bytes / 1048576.0);
    }
}
