package dev.switchboard.loadgen.scenario;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A scenario's own figures (connect rate, recovery time, server memory...),
 * each with the rule that merges the values of several worker processes.
 * Thread-safe: workers' reports arrive on reader threads.
 */
public final class Results {
    /** How values of the same key from several processes combine. */
    public enum Merge {
        SUM, MAX, MIN;

        double apply(double a, double b) {
            return switch (this) {
                case SUM -> a + b;
                case MAX -> Math.max(a, b);
                case MIN -> Math.min(a, b);
            };
        }
    }

    private record Entry(Merge merge, double value) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public synchronized void put(String key, Merge merge, double value) {
        if (!key.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("result keys are snake_case: " + key);
        }
        entries.merge(key, new Entry(merge, value), (a, b) -> new Entry(a.merge, a.merge.apply(a.value, b.value)));
    }

    public synchronized Double get(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.value;
    }

    /** Values in insertion order. */
    public synchronized Map<String, Double> values() {
        Map<String, Double> m = new LinkedHashMap<>();
        entries.forEach((k, e) -> m.put(k, e.value));
        return m;
    }

    /** One entry as a line: {@code key merge value}; how a worker reports it. */
    public synchronized Iterable<String> encode() {
        return entries.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().merge.name().toLowerCase(Locale.ROOT) + " " + e.getValue().value)
                .toList();
    }

    public void putEncoded(String line) {
        String[] p = line.trim().split(" ");
        if (p.length != 3) {
            throw new IllegalArgumentException("a result is 'key merge value': " + line);
        }
        put(p[0], Merge.valueOf(p[1].toUpperCase(Locale.ROOT)), Double.parseDouble(p[2]));
    }
}
