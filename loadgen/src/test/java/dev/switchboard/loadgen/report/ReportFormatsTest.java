package dev.switchboard.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.loadgen.check.Threshold;
import dev.switchboard.loadgen.metrics.Counters;
import dev.switchboard.loadgen.metrics.ErrorReason;
import dev.switchboard.loadgen.metrics.Sample;
import dev.switchboard.loadgen.metrics.ErrorKind;
import dev.switchboard.loadgen.metrics.HistogramCodec;
import dev.switchboard.loadgen.metrics.Interval;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFormatsTest {
    private static TargetSummary summary(String label, long baseMicros) {
        Histogram lat = HistogramCodec.empty();
        for (int i = 1; i <= 1_000; i++) {
            lat.recordValue(baseMicros + i);
        }
        Histogram hs = HistogramCodec.empty();
        hs.recordValue(2_000);
        long[] errors = new long[ErrorKind.values().length];
        errors[ErrorKind.SEND.ordinal()] = 3;
        Map<String, Double> results = new LinkedHashMap<>();
        results.put("connect_rate_per_s", 1234.5);
        results.put("expected_deliveries", 100_000.0);
        results.put("steady_sent_per_s", 100.0);
        results.put("steady_delivered_per_s", 12_000.0);
        results.put("steady_from_epoch_ms", 1_000_000.0 + 2_000);
        results.put("steady_to_epoch_ms", 1_000_000.0 + 8_000);
        List<Sample> series = new ArrayList<>();
        for (int t = 1; t <= 10; t++) {
            long[] e = new long[ErrorKind.values().length];
            e[ErrorKind.SEND.ordinal()] = t > 5 ? 3 : 0;
            series.add(new Sample(t, 100, 100, 100L * t, 10_000L * t, e, 100, 500, 900, 990, 1_000));
        }
        return new TargetSummary(label, "ws://127.0.0.1:1/ws", "fanout", 10, new Counters(100, 100, 100, 100, 1_000, 100_000, errors,
                Map.of(new ErrorReason(ErrorKind.SEND, "publisher socket not writable (the server reads too slowly)"), 3L)),
                lat, hs, results, 1_000_000, series);
    }

    @Test
    void tableShowsTargetsSideBySide() {
        String table = SummaryTable.render(List.of(summary("switchboard", 0), summary("pusher", 10_000)));
        String header = table.lines().findFirst().orElseThrow();
        assertTrue(header.contains("switchboard") && header.contains("pusher"), header);
        String p99 = table.lines().filter(l -> l.startsWith("latency p99 (ms)")).findFirst().orElseThrow();
        assertTrue(p99.contains("0.991") && p99.contains("10.991"), p99);
        assertTrue(table.contains("errors send"));
        assertTrue(table.lines().anyMatch(l -> l.startsWith("connect_rate_per_s") && l.endsWith("1234.50")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("delivered/s (whole run)") && l.contains("10000")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("delivered/s (measured window)") && l.contains("12000")), table);
        assertTrue(table.lines().anyMatch(l -> l.contains("send") && l.contains("publisher socket not writable")), "errors by reason: " + table);
        assertFalse(table.contains("epoch_ms"), "instants are for the time series only");
    }

    @Test
    void jsonSummaryHasStableFieldsForScripts() throws Exception {
        TargetSummary s = summary("switchboard", 0);
        List<Threshold.Verdict> verdicts = List.of(Threshold.parse("p99<50ms").check(s));
        String json = SummaryJson.render(Map.of("scenario", "fanout"), RunEnvironment.current("loadgen test"), List.of(s), verdicts,
                "PASSED (exit 0): 1 of 1 thresholds met");
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals(2, root.path("format").asInt());
        assertTrue(root.path("passed").asBoolean());
        assertEquals("p99<50ms", root.path("thresholds").get(0).path("threshold").asText());
        assertEquals(0.991, root.path("thresholds").get(0).path("value").asDouble(), 0.01);
        assertEquals("loadgen test", root.path("environment").path("build").asText());
        assertEquals("fanout", root.path("options").path("scenario").asText());
        JsonNode t = root.path("targets").get(0);
        assertEquals("switchboard", t.path("label").asText());
        assertEquals(100_000, t.path("counters").path("delivered").asLong());
        assertEquals(3, t.path("errors").path("send").asLong());
        assertEquals(1_000, t.path("latency_us").path("count").asLong());
        assertEquals(991, t.path("latency_us").path("p99").asLong(), 1);
        assertEquals(1_000, t.path("latency_us").path("max").asLong(), 1);
        assertEquals(1234.5, t.path("results").path("connect_rate_per_s").asDouble());
        assertEquals(12_000, t.path("counters").path("steady_delivered_per_s").asDouble());
        assertEquals("publisher socket not writable (the server reads too slowly)", t.path("error_reasons").get(0).path("reason").asText());
        assertEquals(10, t.path("series").size());
        assertEquals(990, t.path("series").get(0).path("p99_us").asLong());
    }

    @Test
    void htmlReportIsOneSelfContainedPageWithTheRunsParametersEnvironmentAndTimeSeries() {
        List<TargetSummary> both = List.of(summary("switchboard", 0), summary("pusher", 10_000));
        List<Threshold.Verdict> verdicts = List.of(Threshold.parse("p99<5ms").check(both.get(0)), Threshold.parse("p99<5ms").check(both.get(1)));
        String html = HtmlReport.render("loadgen fanout", "FAILED (exit 1): 1 of 2 thresholds not met", Map.of("connections", "100"),
                RunEnvironment.current("switchboard 0.2.0 (commit abc)"), both, verdicts);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(html.contains("<script") || html.contains("src=") || html.contains("href="), "no external resources, no script");
        assertTrue(html.contains("switchboard 0.2.0 (commit abc)") && html.contains("<th>connections</th><td>100</td>"), "parameters and environment");
        assertTrue(html.contains("FAILED</td><td>p99&lt;5ms</td><td>pusher</td>"), "thresholds with their verdicts");
        for (String chart : List.of("Throughput", "End-to-end latency of each second", "Connections open", "Errors per second")) {
            assertEquals(2, html.split("font-weight=\"bold\">" + chart, -1).length - 1, chart + " for each target");
        }
        assertEquals(8, html.split("class=\"window\"", -1).length - 1, "the measured window is shaded in the 4 charts of each target");
        assertTrue(html.contains("publisher socket not writable"), "errors by reason");
        List<double[]> pts = PercentilePlot.points(summary("x", 0).latency());
        for (int i = 1; i < pts.size(); i++) {
            assertTrue(pts.get(i)[0] >= pts.get(i - 1)[0] && pts.get(i)[1] >= pts.get(i - 1)[1], "monotonic curve");
        }
    }

    @Test
    void intervalLogIsReadableByHdrHistogramWithTargetTags(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("latency.hlog");
        try (HlogSink sink = new HlogSink(log, "test")) {
            Histogram h = HistogramCodec.empty();
            h.recordValue(500);
            sink.forTarget("switchboard").accept(new Interval(Counters.ZERO, h, HistogramCodec.empty()));
            Histogram g = HistogramCodec.empty();
            g.recordValue(900);
            g.recordValue(901);
            sink.forTarget("pusher").accept(new Interval(Counters.ZERO, g, HistogramCodec.empty()));
        }
        HistogramLogReader reader = new HistogramLogReader(log.toFile());
        List<EncodableHistogram> read = new ArrayList<>();
        EncodableHistogram e;
        while ((e = reader.nextIntervalHistogram()) != null) {
            read.add(e);
        }
        assertEquals(2, read.size());
        assertEquals("switchboard", read.get(0).getTag());
        assertEquals(1, ((Histogram) read.get(0)).getTotalCount());
        assertEquals("pusher", read.get(1).getTag());
        assertEquals(2, ((Histogram) read.get(1)).getTotalCount());
        assertTrue(Files.readString(log).contains("values in microseconds"));
    }
}
