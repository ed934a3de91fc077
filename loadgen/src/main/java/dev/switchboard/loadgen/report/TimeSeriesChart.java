package dev.switchboard.loadgen.report;

import java.util.List;
import java.util.Locale;

/**
 * A line chart over the run's time as inline SVG (no script): seconds on the
 * x axis, one polyline per series, the measured window shaded. Used by
 * {@link HtmlReport} for throughput, latency, connections and errors over time.
 */
final class TimeSeriesChart {
    static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final int W = 900;
    private static final int H = 260;
    private static final int LEFT = 70;
    private static final int RIGHT = 150;
    private static final int TOP = 26;
    private static final int BOTTOM = 36;

    /** One line: its name in the legend and its points (x in seconds). */
    record Series(String name, double[] x, double[] y) {
    }

    private TimeSeriesChart() {
    }

    /**
     * @param window the measured window {from, to} in seconds, or null
     */
    static String svg(String title, String yUnit, List<Series> series, double[] window) {
        double maxX = 1;
        double maxY = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                maxX = Math.max(maxX, s.x()[i]);
                maxY = Math.max(maxY, s.y()[i]);
            }
        }
        maxY = maxY <= 0 ? 1 : PercentilePlot.niceCeiling(maxY);
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" font-size=\"12\" role=\"img\" aria-label=\"").append(PercentilePlot.escape(title)).append("\">\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-weight=\"bold\">%s</text>%n", LEFT, PercentilePlot.escape(title)));
        if (window != null && window[1] > window[0]) {
            double x0 = LEFT + plotW * Math.min(1, window[0] / maxX);
            double x1 = LEFT + plotW * Math.min(1, window[1] / maxX);
            sb.append(String.format(Locale.ROOT, "<rect class=\"window\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#eef5ee\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" fill=\"#4a7\" font-size=\"10\">measured window</text>%n",
                    x0, TOP, Math.max(0, x1 - x0), plotH, x0 + 3, TOP + 11));
        }
        sb.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotW)
                .append("\" height=\"").append(plotH).append("\" fill=\"none\" stroke=\"#444\"/>\n");
        for (int i = 0; i <= 4; i++) {
            double y = TOP + plotH - plotH * i / 4.0;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, y, LEFT + plotW, y, LEFT - 6, y + 4,
                    SummaryTable.fmt(maxY * i / 4.0)));
        }
        double step = PercentilePlot.niceCeiling(maxX / 8);
        for (double t = 0; t <= maxX + 1e-9; t += step) {
            double x = LEFT + plotW * t / maxX;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%ss</text>%n",
                    x, TOP + plotH + 16, SummaryTable.fmt(t)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>%n",
                TOP + plotH / 2, TOP + plotH / 2, PercentilePlot.escape(yUnit)));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String color = COLORS[k % COLORS.length];
            if (s.x().length > 0) {
                StringBuilder pts = new StringBuilder();
                for (int i = 0; i < s.x().length; i++) {
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + plotW * s.x()[i] / maxX,
                            TOP + plotH - plotH * Math.min(1, s.y()[i] / maxY)));
                }
                sb.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(color).append("\" points=\"")
                        .append(pts.toString().trim()).append("\"/>\n");
            }
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + plotW + 12, TOP + 4 + 16 * k, color, LEFT + plotW + 26,
                    TOP + 13 + 16 * k, PercentilePlot.escape(s.name())));
        }
        return sb.append("</svg>\n").toString();
    }
}
