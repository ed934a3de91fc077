package dev.switchboard.testing;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/** The live threads of this JVM whose names start with one of some prefixes: what a server that failed to start must not leave. */
public final class LiveThreads {
    private LiveThreads() {
    }

    public static Set<String> named(String... prefixes) {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && Arrays.stream(prefixes).anyMatch(t.getName()::startsWith)) {
                names.add(t.getName());
            }
        }
        return names;
    }
}
