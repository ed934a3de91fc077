package dev.switchboard.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.loadgen.metrics.Counters;
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
        return new TargetSummary(label, "ws://127.0.0.1:1/ws", "fanout", 10, new Counters(100, 100, 100, 100, 1_000, 100_000, errors),
                lat, hs, results);
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
        assertTrue(table.lines().anyMatch(l -> l.startsWith("delivered/s") && l.contains("10000")), table);
    }

    @Test
    void jsonSummaryHasStableFieldsForScripts() throws Exception {
        String json = SummaryJson.render(Map.of("scenario", "fanout"), List.of(summary("switchboard", 0)));
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals(1, root.path("format").asInt());
        assertEquals("fanout", root.path("options").path("scenario").asText());
        JsonNode t = root.path("targets").get(0);
        assertEquals("switchboard", t.path("label").asText());
        assertEquals(100_000, t.path("counters").path("delivered").asLong());
        assertEquals(3, t.path("errors").path("send").asLong());
        assertEquals(1_000, t.path("latency_us").path("count").asLong());
        assertEquals(991, t.path("latency_us").path("p99").asLong(), 1);
        assertEquals(1_000, t.path("latency_us").path("max").asLong(), 1);
        assertEquals(1234.5, t.path("results").path("connect_rate_per_s").asDouble());
    }

    @Test
    void plotIsOneSelfContainedPageWithACurvePerTarget() {
        String html = PercentilePlot.html("loadgen fanout", List.of(summary("switchboard", 0), summary("pusher", 10_000)));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertEquals(2, html.split("<polyline").length - 1);
        assertFalse(html.contains("http://") && html.contains("<script"), "no external resources");
        assertFalse(html.contains("src="));
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
