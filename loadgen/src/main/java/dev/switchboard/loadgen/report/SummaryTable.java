package dev.switchboard.loadgen.report;

import dev.switchboard.loadgen.metrics.ErrorKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * The end-of-run table: one row per figure, one column per target, so that
 * a run against Switchboard and Soketi reads side by side.
 */
public final class SummaryTable {
    private SummaryTable() {
    }

    public static String render(List<TargetSummary> summaries) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (int t = 0; t < summaries.size(); t++) {
            TargetSummary s = summaries.get(t);
            put(rows, t, "scenario", s.scenario());
            put(rows, t, "duration (s)", fmt(s.seconds()));
            put(rows, t, "connections ready", Long.toString(s.counters().ready()));
            latency(rows, t, "handshake", s.handshake());
            put(rows, t, "subscriptions", Long.toString(s.counters().subscribed()));
            put(rows, t, "sent", Long.toString(s.counters().sent()));
            put(rows, t, "delivered", Long.toString(s.counters().delivered()));
            if (s.steadyDeliveredPerSecond() != null) {
                put(rows, t, "sent/s (measured window)", fmt(s.steadySentPerSecond()));
                put(rows, t, "delivered/s (measured window)", fmt(s.steadyDeliveredPerSecond()));
            }
            put(rows, t, "delivered/s (whole run)", fmt(s.deliveredPerSecond()));
            if (s.deliveredFraction() != null) {
                put(rows, t, "delivered of expected", String.format(Locale.ROOT, "%.3f%%", 100 * s.deliveredFraction()));
            }
            latency(rows, t, "latency", s.latency());
            for (ErrorKind k : ErrorKind.values()) {
                put(rows, t, "errors " + k.id(), Long.toString(s.counters().errors(k)));
            }
        }
        Set<String> keys = new LinkedHashSet<>();
        summaries.forEach(s -> keys.addAll(s.results().keySet()));
        keys.removeIf(k -> k.endsWith("_epoch_ms")); // instants for the time series, in summary.json
        for (String key : keys) {
            for (int t = 0; t < summaries.size(); t++) {
                Double v = summaries.get(t).results().get(key);
                put(rows, t, key, v == null ? "-" : fmt(v));
            }
        }
        List<String> header = new ArrayList<>();
        header.add("");
        summaries.forEach(s -> header.add(s.label()));
        return layout(header, rows, summaries.size()) + reasons(summaries);
    }

    /** The errors by kind and reason, one line each, after the table; empty when there were none. */
    static String reasons(List<TargetSummary> summaries) {
        StringBuilder sb = new StringBuilder();
        for (TargetSummary s : summaries) {
            s.counters().reasons().forEach((reason, count) -> sb.append(String.format(Locale.ROOT, "  %-12s %-10s %8d  %s%n",
                    s.label(), reason.kind().id(), count, reason.reason())));
        }
        return sb.isEmpty() ? "" : "\nerrors by reason:\n" + sb;
    }

    private static void latency(Map<String, List<String>> rows, int t, String what, Histogram h) {
        Map<String, Long> p = Percentiles.of(h);
        put(rows, t, what + " count", Long.toString(h.getTotalCount()));
        for (double level : Percentiles.LEVELS) {
            String name = Percentiles.name(level);
            Long v = p.get(name);
            put(rows, t, what + " " + name + " (ms)", v == null ? "-" : Percentiles.millis(v));
        }
        Long max = p.get("max");
        put(rows, t, what + " max (ms)", max == null ? "-" : Percentiles.millis(max));
    }

    private static void put(Map<String, List<String>> rows, int t, String row, String value) {
        List<String> r = rows.computeIfAbsent(row, k -> new ArrayList<>());
        while (r.size() < t) {
            r.add("-");
        }
        r.add(value);
    }

    private static String layout(List<String> header, Map<String, List<String>> rows, int columns) {
        int[] width = new int[columns + 1];
        for (int c = 0; c < header.size(); c++) {
            width[c] = header.get(c).length();
        }
        for (Map.Entry<String, List<String>> e : rows.entrySet()) {
            width[0] = Math.max(width[0], e.getKey().length());
            for (int c = 0; c < e.getValue().size(); c++) {
                width[c + 1] = Math.max(width[c + 1], e.getValue().get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, width);
        StringBuilder rule = new StringBuilder();
        for (int w : width) {
            rule.append("-".repeat(w)).append("  ");
        }
        sb.append(rule.toString().stripTrailing()).append('\n');
        for (Map.Entry<String, List<String>> e : rows.entrySet()) {
            List<String> cells = new ArrayList<>();
            cells.add(e.getKey());
            cells.addAll(e.getValue());
            while (cells.size() < columns + 1) {
                cells.add("-");
            }
            line(sb, cells, width);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String v = cells.get(c);
            // Labels left-aligned, numbers right-aligned.
            l.append(c == 0 ? pad(v, width[c], false) : pad(v, width[c], true)).append("  ");
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(Math.max(0, w - s.length()));
        return right ? fill + s : s + fill;
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
