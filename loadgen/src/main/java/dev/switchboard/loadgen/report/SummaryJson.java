package dev.switchboard.loadgen.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.loadgen.metrics.ErrorKind;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code summary.json}, for scripts: the options, then per target the
 * counters, errors by kind, latency and handshake percentiles in
 * microseconds, and the scenario's figures. Field names are stable.
 */
public final class SummaryJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {
    }

    public static String render(Map<String, String> options, List<TargetSummary> summaries) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", 1);
        ObjectNode opts = root.putObject("options");
        options.forEach(opts::put);
        ArrayNode targets = root.putArray("targets");
        for (TargetSummary s : summaries) {
            ObjectNode t = targets.addObject();
            t.put("label", s.label());
            t.put("url", s.url());
            t.put("scenario", s.scenario());
            t.put("duration_s", s.seconds());
            ObjectNode c = t.putObject("counters");
            c.put("attempts", s.counters().attempts());
            c.put("ready", s.counters().ready());
            c.put("open_at_end", s.counters().open());
            c.put("subscribed", s.counters().subscribed());
            c.put("sent", s.counters().sent());
            c.put("delivered", s.counters().delivered());
            c.put("delivered_per_s", s.deliveredPerSecond());
            ObjectNode e = t.putObject("errors");
            for (ErrorKind k : ErrorKind.values()) {
                e.put(k.id(), s.counters().errors(k));
            }
            histogram(t.putObject("latency_us"), s.latency());
            histogram(t.putObject("handshake_us"), s.handshake());
            ObjectNode r = t.putObject("results");
            s.results().forEach(r::put);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of numbers and strings always serializes", e);
        }
    }

    private static void histogram(ObjectNode n, Histogram h) {
        n.put("count", h.getTotalCount());
        if (h.getTotalCount() > 0) {
            n.put("mean", h.getMean());
            n.put("min", h.getMinValue());
        }
        Percentiles.of(h).forEach(n::put);
    }
}
