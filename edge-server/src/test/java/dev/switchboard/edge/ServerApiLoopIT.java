package dev.switchboard.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.edge.EdgeFixture.Recorder;
import dev.switchboard.testing.NoBlockingOnEventLoops;
import dev.switchboard.wire.proto.Publication;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server API runs on a loop of its own: a slow Prometheus scrape (here a gauge that computes until the test
 * lets it finish) must not hold up WebSocket handshakes and deliveries. On a node of one WebSocket loop that also
 * served the API, every step below waited for the scrape.
 */
@ExtendWith(NoBlockingOnEventLoops.class)
class ServerApiLoopIT {
    @AutoClose
    final EdgeFixture fx = new EdgeFixture();
    @AutoClose
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aScrapeInProgressHoldsUpNoWebSocket() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicBoolean scraping = new AtomicBoolean();
        AtomicBoolean finish = new AtomicBoolean();
        Gauge.builder("test.slow.gauge", () -> {
            scraping.set(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long spins = 0;
            while (!finish.get() && System.nanoTime() < deadline) {
                spins++; // work, as a large registry's scrape is (Thread.onSpinWait counts as blocking to the detector)
            }
            return spins >= 0 ? 1 : 0;
        }).register(registry);
        EdgeServer server = EdgeServer.builder(EdgeFixture.options().nodeId("api-loop").ioThreads(1).build())
                .tokenVerifier(TokenVerifier.builder().hs256Secret(EdgeFixture.SECRET).build())
                .apiKeys(new ApiKeys(List.of(EdgeFixture.API_KEY)))
                .meterRegistry(registry)
                .start();
        fx.own(server);
        CompletableFuture<HttpResponse<String>> scrape;
        try {
            scrape = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort() + "/metrics"))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilTrue(scraping);

            // While the scrape runs: two handshakes, a subscribe and a publish, each answered.
            Recorder reader = fx.connect(server, "reader", "acme");
            Recorder writer = fx.connect(server, "writer", "acme");
            reader.client.subscribe("acme/news").orTimeout(10, TimeUnit.SECONDS).join();
            writer.client.publish("acme/news", "during the scrape".getBytes(StandardCharsets.UTF_8))
                    .orTimeout(10, TimeUnit.SECONDS).join();
            Publication p = reader.next();
            assertNotNull(p, "no delivery while the server API was busy");
            assertEquals("during the scrape", p.getPayload().toStringUtf8());
            assertTrue(scraping.get() && !scrape.isDone(), "the scrape was still running throughout");
        } finally {
            finish.set(true);
        }
        HttpResponse<String> r = scrape.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("test_slow_gauge"), r.body());
    }
}
