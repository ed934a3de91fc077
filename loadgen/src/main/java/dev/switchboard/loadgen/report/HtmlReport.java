package dev.switchboard.loadgen.report;

import dev.switchboard.loadgen.check.Threshold.Verdict;
import dev.switchboard.loadgen.metrics.ErrorKind;
import dev.switchboard.loadgen.metrics.ErrorReason;
import dev.switchboard.loadgen.metrics.Sample;
import dev.switchboard.loadgen.report.TimeSeriesChart.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (inline SVG and CSS, no script,
 * nothing fetched) that says whether the run passed and why, with what
 * parameters and on what machine it ran, how throughput, latency,
 * connections and errors moved over time (the measured window shaded), the
 * latency-by-percentile curve with its table, and the errors by reason.
 */
public final class HtmlReport {
    private static final String STYLE = "body{font-family:sans-serif;margin:2em;max-width:1000px}"
            + "table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;padding:3px 9px;text-align:left}"
            + "td.n{text-align:right}.ok{color:#176f2c}.failed{color:#b00020;font-weight:bold}pre{background:#f6f6f6;padding:1em}";

    private HtmlReport() {
    }

    /**
     * @param outcome the run's last line ("PASSED ...", "FAILED ...")
     */
    public static String render(String title, String outcome, Map<String, String> parameters, RunEnvironment env,
                                List<TargetSummary> summaries, List<Verdict> verdicts) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>").append(STYLE).append("</style></head><body>\n<h1>").append(esc(title)).append("</h1>\n");
        sb.append("<p id=\"outcome\" class=\"").append(outcome.startsWith("PASSED") ? "ok" : "failed").append("\">")
                .append(esc(outcome)).append("</p>\n");
        thresholds(sb, verdicts);
        keyValues(sb, "Parameters", "parameters", parameters);
        keyValues(sb, "Environment", "environment", env.describe());
        sb.append("<h2>Summary</h2>\n<pre>").append(esc(SummaryTable.render(summaries))).append("</pre>\n");
        for (TargetSummary s : summaries) {
            timeSeries(sb, s);
        }
        sb.append("<h2>End-to-end latency by percentile</h2>\n").append(PercentilePlot.svg(summaries));
        percentileTable(sb, summaries);
        errorReasons(sb, summaries);
        return sb.append("</body></html>\n").toString();
    }

    private static void thresholds(StringBuilder sb, List<Verdict> verdicts) {
        sb.append("<h2>Thresholds</h2>\n<table id=\"thresholds\"><tr><th>result</th><th>threshold</th><th>target</th><th>measured</th></tr>\n");
        for (Verdict v : verdicts) {
            sb.append("<tr><td class=\"").append(v.passed() ? "ok\">ok" : "failed\">FAILED").append("</td><td>")
                    .append(esc(v.threshold().expression())).append("</td><td>").append(esc(v.target())).append("</td><td class=\"n\">")
                    .append(esc(v.measured())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static void keyValues(StringBuilder sb, String title, String id, Map<String, String> values) {
        sb.append("<h2>").append(title).append("</h2>\n<table id=\"").append(id).append("\">\n");
        values.forEach((k, v) -> sb.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n"));
        sb.append("</table>\n");
    }

    private static void timeSeries(StringBuilder sb, TargetSummary s) {
        List<Sample> samples = s.series();
        sb.append("<h2>").append(esc(s.label())).append(" over time</h2>\n");
        if (samples.isEmpty()) {
            sb.append("<p>No samples (the run lasted under a second).</p>\n");
            return;
        }
        int n = samples.size();
        double[] t = new double[n];
        double[] sent = new double[n];
        double[] delivered = new double[n];
        double[] open = new double[n];
        double[][] errors = new double[ErrorKind.values().length][n];
        List<double[]> latency = List.of(new double[n], new double[n], new double[n], new double[n]);
        boolean anyLatency = false;
        Sample prev = null;
        for (int i = 0; i < n; i++) {
            Sample c = samples.get(i);
            t[i] = c.seconds();
            double dt = prev == null ? Math.max(1e-3, c.seconds()) : Math.max(1e-3, c.seconds() - prev.seconds());
            sent[i] = (c.sent() - (prev == null ? 0 : prev.sent())) / dt;
            delivered[i] = (c.delivered() - (prev == null ? 0 : prev.delivered())) / dt;
            open[i] = c.open();
            for (ErrorKind k : ErrorKind.values()) {
                errors[k.ordinal()][i] = (c.errors()[k.ordinal()] - (prev == null ? 0 : prev.errors()[k.ordinal()])) / dt;
            }
            latency.get(0)[i] = c.p50() / 1000.0;
            latency.get(1)[i] = c.p90() / 1000.0;
            latency.get(2)[i] = c.p99() / 1000.0;
            latency.get(3)[i] = c.max() / 1000.0;
            anyLatency |= c.latencyCount() > 0;
            prev = c;
        }
        double[] window = window(s);
        sb.append(TimeSeriesChart.svg("Throughput", "per second",
                List.of(new Series("sent/s", t, sent), new Series("delivered/s", t, delivered)), window));
        if (anyLatency) {
            sb.append(TimeSeriesChart.svg("End-to-end latency of each second's deliveries", "ms", List.of(
                    new Series("p50", t, latency.get(0)), new Series("p90", t, latency.get(1)),
                    new Series("p99", t, latency.get(2)), new Series("max", t, latency.get(3))), window));
        }
        sb.append(TimeSeriesChart.svg("Connections open", "connections", List.of(new Series("open", t, open)), window));
        List<Series> errorSeries = new ArrayList<>();
        for (ErrorKind k : ErrorKind.values()) {
            errorSeries.add(new Series(k.id() + "/s", t, errors[k.ordinal()]));
        }
        sb.append(TimeSeriesChart.svg("Errors per second, by kind", "per second", errorSeries, window));
    }

    /** The measured window in seconds since the run started, or null. */
    private static double[] window(TargetSummary s) {
        Double from = s.results().get("steady_from_epoch_ms");
        Double to = s.results().get("steady_to_epoch_ms");
        if (from == null || to == null) {
            return null;
        }
        return new double[] {(from - s.startEpochMillis()) / 1000.0, (to - s.startEpochMillis()) / 1000.0};
    }

    private static void percentileTable(StringBuilder sb, List<TargetSummary> summaries) {
        sb.append("<table id=\"percentiles\"><tr><th>target</th><th>count</th>");
        for (double p : Percentiles.LEVELS) {
            sb.append("<th>").append(Percentiles.name(p)).append(" (ms)</th>");
        }
        sb.append("<th>max (ms)</th></tr>\n");
        for (TargetSummary s : summaries) {
            sb.append("<tr><th>").append(esc(s.label())).append("</th><td class=\"n\">").append(s.latency().getTotalCount()).append("</td>");
            Percentiles.of(s.latency()).values().forEach(v -> sb.append("<td class=\"n\">").append(Percentiles.millis(v)).append("</td>"));
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
    }

    private static void errorReasons(StringBuilder sb, List<TargetSummary> summaries) {
        sb.append("<h2>Errors by reason</h2>\n<table id=\"errors\"><tr><th>target</th><th>kind</th><th>reason</th><th>count</th></tr>\n");
        boolean any = false;
        for (TargetSummary s : summaries) {
            for (Map.Entry<ErrorReason, Long> e : s.counters().reasons().entrySet()) {
                any = true;
                sb.append("<tr><td>").append(esc(s.label())).append("</td><td>").append(e.getKey().kind().id()).append("</td><td>")
                        .append(esc(e.getKey().reason())).append("</td><td class=\"n\">").append(e.getValue()).append("</td></tr>\n");
            }
        }
        if (!any) {
            sb.append("<tr><td colspan=\"4\">none</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static String esc(String s) {
        return PercentilePlot.escape(s);
    }
}
