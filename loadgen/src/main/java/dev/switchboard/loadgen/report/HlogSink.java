package dev.switchboard.loadgen.report;

import dev.switchboard.loadgen.metrics.Interval;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes every reporting interval to an HdrHistogram interval log (values in
 * microseconds; read it with HistogramLogProcessor or HdrHistogram's plotter).
 * Intervals of several targets go to one file, tagged with the target's label.
 * Used from the reporter thread only.
 */
public final class HlogSink implements AutoCloseable {
    private final PrintStream file;
    private final HistogramLogWriter writer;
    private final long startMillis = System.currentTimeMillis();

    public HlogSink(Path path, String comment) throws FileNotFoundException {
        this.file = new PrintStream(path.toFile());
        this.writer = new HistogramLogWriter(file);
        writer.outputComment(comment);
        writer.outputComment("values in microseconds; tags are target labels");
        writer.outputLogFormatVersion();
        writer.outputStartTime(startMillis);
        writer.setBaseTime(startMillis);
        writer.outputLegend();
    }

    /** A sink for one target's intervals. */
    public Consumer<Interval> forTarget(String tag) {
        double[] lastEnd = {(System.currentTimeMillis() - startMillis) / 1000.0};
        return i -> {
            double end = (System.currentTimeMillis() - startMillis) / 1000.0;
            i.latency().setTag(tag);
            writer.outputIntervalHistogram(lastEnd[0], end, i.latency(), 1000.0);
            lastEnd[0] = end;
        };
    }

    @Override
    public void close() {
        file.close();
    }
}
