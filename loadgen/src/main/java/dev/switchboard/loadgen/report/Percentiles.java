package dev.switchboard.loadgen.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The percentiles every report shows, in one place. */
final class Percentiles {
    static final double[] LEVELS = {50, 90, 99, 99.9, 99.99};

    private Percentiles() {
    }

    /** {@code p50 -> micros, ..., max -> micros}; empty for an empty histogram. */
    static Map<String, Long> of(Histogram h) {
        Map<String, Long> m = new LinkedHashMap<>();
        if (h.getTotalCount() == 0) {
            return m;
        }
        for (double p : LEVELS) {
            m.put(name(p), h.getValueAtPercentile(p));
        }
        m.put("max", h.getMaxValue());
        return m;
    }

    static String name(double p) {
        String s = p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
        return "p" + s;
    }

    static String millis(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }
}
