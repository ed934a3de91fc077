package dev.switchboard.edge.api;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Memory of this process for the stats call: heap in use and, on Linux, resident set size. */
final class ProcessStats {
    private static final Path STATUS = Path.of("/proc/self/status");
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    void addTo(Map<String, Object> body) {
        body.put("heap_used_bytes", memory.getHeapMemoryUsage().getUsed());
        body.put("heap_committed_bytes", memory.getHeapMemoryUsage().getCommitted());
        long rss = rssBytes();
        if (rss > 0) {
            body.put("rss_bytes", rss);
        }
    }

    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
