package dev.switchboard.loadgen.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The latency-by-percentile curve of every target as inline SVG, on the usual
 * HdrHistogram axis where each step right is another "nine" (90%, 99%,
 * 99.9%...); part of {@link HtmlReport}.
 */
public final class PercentilePlot {
    private static final int W = 900;
    private static final int H = 480;
    private static final int LEFT = 70;
    private static final int BOTTOM = 50;
    private static final int TOP = 30;
    private static final int RIGHT = 30;
    private static final double MAX_NINES = 5;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};

    private PercentilePlot() {
    }

    static String svg(List<TargetSummary> summaries) {
        double maxMs = 0.001;
        for (TargetSummary s : summaries) {
            maxMs = Math.max(maxMs, s.latency().getMaxValue() / 1000.0);
        }
        maxMs = niceCeiling(maxMs);
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" font-size=\"12\">\n");
        sb.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotW)
                .append("\" height=\"").append(plotH).append("\" fill=\"none\" stroke=\"#444\"/>\n");
        String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int n = 0; n <= MAX_NINES; n++) {
            double x = LEFT + plotW * n / MAX_NINES;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP, x, TOP + plotH, x, TOP + plotH + 18, labels[n]));
        }
        for (int i = 0; i <= 5; i++) {
            double y = TOP + plotH - plotH * i / 5.0;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, y, LEFT + plotW, y, LEFT - 6, y + 4,
                    SummaryTable.fmt(maxMs * i / 5.0)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
                LEFT + plotW / 2, H - 10));
        sb.append(String.format(Locale.ROOT, "<text x=\"15\" y=\"%d\" transform=\"rotate(-90 15 %d)\" text-anchor=\"middle\">latency (ms)</text>%n",
                TOP + plotH / 2, TOP + plotH / 2));
        for (int t = 0; t < summaries.size(); t++) {
            String color = COLORS[t % COLORS.length];
            List<double[]> pts = points(summaries.get(t).latency());
            if (!pts.isEmpty()) {
                StringBuilder path = new StringBuilder();
                for (double[] p : pts) {
                    double x = LEFT + plotW * Math.min(p[0], MAX_NINES) / MAX_NINES;
                    double y = TOP + plotH - plotH * Math.min(p[1] / maxMs, 1.0);
                    path.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                }
                sb.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(color).append("\" points=\"")
                        .append(path.toString().trim()).append("\"/>\n");
            }
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + 10, TOP + 10 + 18 * t, color, LEFT + 28, TOP + 21 + 18 * t,
                    escape(summaries.get(t).label())));
        }
        return sb.append("</svg>\n").toString();
    }

    /** (nines, latency ms) points: nines = log10(1 / (1 - percentile)). */
    static List<double[]> points(Histogram h) {
        List<double[]> pts = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return pts;
        }
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo() / 100.0;
            if (p >= 1.0) {
                break;
            }
            pts.add(new double[] {Math.log10(1 / (1 - p)), h.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0});
        }
        pts.add(new double[] {MAX_NINES, h.getMaxValue() / 1000.0});
        return pts;
    }

    static double niceCeiling(double v) {
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * mag >= v) {
                return step * mag;
            }
        }
        return 10 * mag;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
