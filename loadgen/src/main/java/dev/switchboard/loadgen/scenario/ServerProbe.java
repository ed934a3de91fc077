package dev.switchboard.loadgen.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the memory of the server under test: its stats endpoint
 * ({@code GET /v1/stats} with {@code X-Api-Key}: heap and RSS), and/or
 * {@code VmRSS} of {@code /proc/<pid>/status} when the user named the process.
 * Called from the coordinating thread only, between phases.
 */
public final class ServerProbe {
    /** A sample; -1 where the source is not available. */
    public record Sample(long rssBytes, long heapUsedBytes, long serverConnections) {
        public static final Sample NONE = new Sample(-1, -1, -1);
    }

    private static final Logger log = LoggerFactory.getLogger(ServerProbe.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI statsUrl;
    private final String apiKey;
    private final Long pid;

    /**
     * @param statsUrl the stats endpoint; null if the server has none
     * @param apiKey its key; null if the server has none
     * @param pid the server's process id; null if not given
     */
    public ServerProbe(URI statsUrl, String apiKey, Long pid) {
        this.statsUrl = statsUrl;
        this.apiKey = apiKey;
        this.pid = pid;
    }

    public boolean isAvailable() {
        return (statsUrl != null && apiKey != null) || pid != null;
    }

    public Sample sample() {
        long rss = -1;
        long heap = -1;
        long conns = -1;
        if (statsUrl != null && apiKey != null) {
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(statsUrl).timeout(Duration.ofSeconds(5))
                        .header("X-Api-Key", apiKey).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    JsonNode n = JSON.readTree(r.body());
                    rss = n.path("rss_bytes").asLong(-1);
                    heap = n.path("heap_used_bytes").asLong(-1);
                    conns = n.path("connections").asLong(-1);
                } else {
                    log.warn("{} answered {}", statsUrl, r.statusCode());
                }
            } catch (IOException e) {
                log.warn("cannot read {}: {}", statsUrl, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pid != null) {
            long procRss = vmRss(Path.of("/proc", pid.toString(), "status"));
            if (procRss >= 0) {
                rss = procRss;
            }
        }
        return new Sample(rss, heap, conns);
    }

    /** VmRSS of a /proc status file, in bytes; -1 if unreadable. */
    static long vmRss(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String[] p = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(p[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.warn("cannot read {}: {}", status, e.toString());
        }
        return -1;
    }
}
