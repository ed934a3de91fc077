package dev.switchboard.app.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The figures of one fault run, printed and written to
 * {@code target/fault-reports/<fault>.txt} so that docs/reliability.md can
 * quote a run (timings on a shared machine are noisy; the counts are not).
 */
final class FaultReport {
    private final String fault;
    private final Map<String, Object> figures = new LinkedHashMap<>();

    FaultReport(String fault) {
        this.fault = fault;
    }

    FaultReport put(String key, Object value) {
        figures.put(key, value);
        return this;
    }

    FaultReport tally(Ledger.Tally t) {
        return put("committed (sum over clients)", t.committed()).put("delivered (sum over clients)", t.delivered())
                .put("duplicates", t.duplicates()).put("every client exact", t.exact());
    }

    void write() {
        String text = figures.entrySet().stream().map(e -> "  " + e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n", "FAULT " + fault + "\n", "\n"));
        System.out.print(text);
        try {
            Path dir = Files.createDirectories(Path.of("target", "fault-reports"));
            Files.writeString(dir.resolve(fault + ".txt"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
