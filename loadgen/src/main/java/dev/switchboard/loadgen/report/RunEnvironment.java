package dev.switchboard.loadgen.report;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run happened, for the reports: the loadgen build, the JVM, the
 * operating system, CPUs and heap of the load-generating machine, and when.
 * Two runs can only be compared knowing these.
 */
public record RunEnvironment(String build, String java, String os, int cpus, long maxHeapBytes, String host, Instant started,
                             String jvmArguments) {
    /** This process's environment, now. */
    public static RunEnvironment current(String build) {
        Runtime rt = Runtime.getRuntime();
        return new RunEnvironment(build,
                System.getProperty("java.vm.name") + " " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                rt.availableProcessors(), rt.maxMemory(), hostName(), Instant.now().truncatedTo(ChronoUnit.SECONDS),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    /** Name → value, for tables and JSON. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("build", build);
        m.put("started", started.toString());
        m.put("host", host);
        m.put("os", os);
        m.put("cpus", Integer.toString(cpus));
        m.put("java", java);
        m.put("max heap", (maxHeapBytes >> 20) + " MiB");
        m.put("jvm arguments", jvmArguments);
        return m;
    }
}
