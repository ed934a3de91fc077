import java.io.BufferedReader;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Joins loadgen's latency interval log with the soak script's server samples:
 * for each sample row of SAMPLES.csv (first column: epoch seconds), appends
 * the latency of the deliveries in the log intervals that ended since the
 * previous sample (p50, p99, max in ms, and their count), so that every row
 * holds server memory and client latency of the same window.
 *
 * <p>Usage: {@code java -cp "switchboard/target/lib/*" HlogWindows.java latency.hlog SAMPLES.csv > soak.csv}
 * (a single-file program: the soak script runs it with the launcher's classpath).
 */
public final class HlogWindows {
    public static void main(String[] args) throws Exception {
        List<Histogram> intervals = new ArrayList<>();
        HistogramLogReader reader = new HistogramLogReader(new File(args[0]));
        for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null; h = reader.nextIntervalHistogram()) {
            intervals.add((Histogram) h);
        }
        try (BufferedReader samples = Files.newBufferedReader(Path.of(args[1]))) {
            System.out.println(samples.readLine() + ",p50_ms,p99_ms,max_ms,deliveries");
            long previousMs = Long.MIN_VALUE;
            for (String row = samples.readLine(); row != null; row = samples.readLine()) {
                long sampleMs = (long) (Double.parseDouble(row.substring(0, row.indexOf(','))) * 1000);
                Histogram window = new Histogram(3);
                for (Histogram h : intervals) {
                    if (h.getEndTimeStamp() > previousMs && h.getEndTimeStamp() <= sampleMs) {
                        window.add(h);
                    }
                }
                previousMs = sampleMs;
                System.out.printf("%s,%s,%s,%s,%d%n", row, ms(window, 50), ms(window, 99),
                        window.getTotalCount() == 0 ? "" : String.format("%.2f", window.getMaxValue() / 1000.0), window.getTotalCount());
            }
        }
    }

    /** A percentile in ms (values are microseconds), empty for a window without deliveries. */
    private static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "" : String.format("%.2f", h.getValueAtPercentile(percentile) / 1000.0);
    }
}
