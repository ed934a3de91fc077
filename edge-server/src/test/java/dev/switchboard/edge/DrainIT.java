package dev.switchboard.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.ServerApiClient;
import dev.switchboard.edge.EdgeFixture.Recorder;
import dev.switchboard.testing.NoBlockingOnEventLoops;
import dev.switchboard.wire.DisconnectCode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoBlockingOnEventLoops.class)
class DrainIT {
    @AutoClose
    final EdgeFixture fx = new EdgeFixture();

    @Test
    void drainMovesSessionsInBatchesOverTheWindowAndRefusesNewOnes() throws Exception {
        EdgeServer node = fx.start(EdgeFixture.options().nodeId("draining").build());
        List<Recorder> sessions = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sessions.add(fx.connect(node, "u" + i, "acme"));
        }
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.apiPort() + "/v1/drain"))
                .header("X-Api-Key", EdgeFixture.API_KEY).POST(HttpRequest.BodyPublishers.ofString("{\"window_ms\":1500}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode(), res.body());
        long started = System.nanoTime();
        List<Long> closedAtMs = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Recorder r : sessions) {
            r.client.closeFuture().whenComplete((code, err) -> closedAtMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
        }
        assertTrue(res.body().contains("\"sessions\":200"), res.body());
        assertTrue(EdgeFixture.rawUpgradeStatus(node, "/ws?token=" + fx.token("late", "acme")).contains("503"),
                "a draining node refuses new sessions");

        for (Recorder r : sessions) {
            assertEquals(DisconnectCode.DRAIN.code(), r.client.closeFuture().get(10, TimeUnit.SECONDS));
            var notice = r.disconnects.poll(1, TimeUnit.SECONDS);
            assertNotNull(notice);
            assertTrue(notice.getReconnect());
        }
        long first = closedAtMs.stream().mapToLong(Long::longValue).min().orElseThrow();
        long last = closedAtMs.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(last - first >= 700, "reconnects must be spread over the window, not sent at once: " + first + ".." + last);
        node.drained().get(10, TimeUnit.SECONDS);
        JsonNode stats = new ServerApiClient(URI.create("http://127.0.0.1:" + node.apiPort()), EdgeFixture.API_KEY,
                Duration.ofSeconds(5)).stats().get(5, TimeUnit.SECONDS);
        assertEquals(0, stats.get("connections").asInt());
        assertTrue(stats.get("draining").asBoolean());
    }
}
