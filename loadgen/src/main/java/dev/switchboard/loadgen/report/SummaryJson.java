package dev.switchboard.loadgen.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.loadgen.check.Threshold.Verdict;
import dev.switchboard.loadgen.metrics.ErrorKind;
import dev.switchboard.loadgen.metrics.Sample;
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
        return render(options, null, summaries, List.of(), null);
    }

    /**
     * @param env where the run happened, or null
     * @param outcome the run's verdict line, or null
     */
    public static String render(Map<String, String> options, RunEnvironment env, List<TargetSummary> summaries,
                                List<Verdict> verdicts, String outcome) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", 2);
        if (outcome != null) {
            root.put("outcome", outcome);
            root.put("passed", outcome.startsWith("PASSED"));
        }
        ObjectNode opts = root.putObject("options");
        options.forEach(opts::put);
        if (env != null) {
            ObjectNode e = root.putObject("environment");
            env.describe().forEach(e::put);
        }
        ArrayNode checks = root.putArray("thresholds");
        for (Verdict v : verdicts) {
            ObjectNode c = checks.addObject();
            c.put("threshold", v.threshold().expression());
            c.put("target", v.target());
            if (v.value().isPresent()) {
                c.put("value", v.value().getAsDouble());
            }
            c.put("passed", v.passed());
        }
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
            if (s.steadyDeliveredPerSecond() != null) {
                c.put("steady_sent_per_s", s.steadySentPerSecond());
                c.put("steady_delivered_per_s", s.steadyDeliveredPerSecond());
            }
            ObjectNode e = t.putObject("errors");
            for (ErrorKind k : ErrorKind.values()) {
                e.put(k.id(), s.counters().errors(k));
            }
            ArrayNode reasons = t.putArray("error_reasons");
            s.counters().reasons().forEach((reason, count) -> reasons.addObject()
                    .put("kind", reason.kind().id()).put("reason", reason.reason()).put("count", count));
            histogram(t.putObject("latency_us"), s.latency());
            histogram(t.putObject("handshake_us"), s.handshake());
            ObjectNode r = t.putObject("results");
            s.results().forEach(r::put);
            t.put("start_epoch_ms", s.startEpochMillis());
            ArrayNode series = t.putArray("series");
            for (Sample p : s.series()) {
                ObjectNode o = series.addObject();
                o.put("t_s", Math.round(p.seconds() * 1000) / 1000.0);
                o.put("open", p.open()).put("ready", p.ready()).put("sent", p.sent()).put("delivered", p.delivered())
                        .put("errors", p.errorCount()).put("latency_count", p.latencyCount())
                        .put("p50_us", p.p50()).put("p90_us", p.p90()).put("p99_us", p.p99()).put("max_us", p.max());
            }
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
