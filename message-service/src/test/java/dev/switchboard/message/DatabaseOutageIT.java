package dev.switchboard.message;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.testing.PostgresDatabase;
import dev.switchboard.testing.TcpProxy;
import dev.switchboard.wire.ChannelNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The database goes away under a running message-service (through a TCP proxy
 * that the test cuts; the shared PostgreSQL server is never touched): sends
 * answer 503 UNAVAILABLE within the pool's connection timeout, nothing is
 * published or half-written, {@code /healthz} says unhealthy (503, with a reason),
 * and sends work again (and health is 200) once the database is back.
 */
class DatabaseOutageIT {
    static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    static final String API_KEY = "server-key-0123456789";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void sendsFailFastWhileTheDatabaseIsDownAndWorkAfterItReturns() throws Exception {
        try (PostgresDatabase pg = new PostgresDatabase();
             TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
             RecordingBroker broker = new RecordingBroker()) {
            String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + pg.name() + "?user=postgres";
            MessageServerOptions options = MessageServerOptions.builder().host("127.0.0.1").port(0)
                    .database(DatabaseOptions.builder().jdbcUrl(viaProxy).poolSize(2)
                            .connectionTimeout(Duration.ofSeconds(2)).build())
                    .build();
            try (MessageServer server = MessageServer.start(options, broker.broker(),
                    TokenVerifier.builder().hs256Secret(SECRET).build(), new ApiKeys(List.of(API_KEY)),
                    new SimpleMeterRegistry())) {
                String base = "http://127.0.0.1:" + server.port();
                String token = new TokenIssuer(SECRET).issue("ana", "acme", Duration.ofMinutes(5));
                assertEquals(201, post(base + "/v1/users", null,
                        "{\"org\":\"acme\",\"id\":\"ana\",\"name\":\"Ana\"}").statusCode());
                HttpResponse<String> group = post(base + "/v1/channels", token, "{\"name\":\"ops\",\"type\":\"GROUP\"}");
                long channel = new ObjectMapper().readTree(group.body()).get("id").asLong();
                broker.subscribe(ChannelNames.chat("acme", channel));
                String send = base + "/v1/channels/" + channel + "/messages";
                assertEquals(201, post(send, token, "{\"text\":\"before\",\"client_msg_id\":\"a\"}").statusCode());
                assertEquals(200, get(base + "/healthz").statusCode());

                proxy.cut();
                for (String key : List.of("b", "c")) {
                    long start = System.nanoTime();
                    HttpResponse<String> down = post(send, token, "{\"text\":\"during\",\"client_msg_id\":\"" + key + "\"}");
                    long tookMs = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(503, down.statusCode(), down.body());
                    assertTrue(down.body().contains("\"UNAVAILABLE\""), down.body());
                    assertTrue(tookMs < 6000, "503 took " + tookMs + " ms");
                }
                HttpResponse<String> history = http.send(HttpRequest.newBuilder(URI.create(send))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(503, history.statusCode());
                HttpResponse<String> health = get(base + "/healthz");
                assertEquals(503, health.statusCode(), "unhealthy while the database is unreachable: " + health.body());
                assertTrue(health.body().contains("\"unhealthy\"") && health.body().contains("\"reason\""), health.body());
                assertEquals(1, broker.on(ChannelNames.chat("acme", channel)).size(), "nothing published while down");

                proxy.restore();
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                        post(send, token, "{\"text\":\"after\",\"client_msg_id\":\"d\"}").statusCode() == 201);
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                        get(base + "/healthz").statusCode() == 200);
                List<Long> published = broker.on(ChannelNames.chat("acme", channel)).stream()
                        .map(d -> d.frame().getPublication().getSeq()).toList();
                assertEquals(List.of(1L, 2L), published, "no sequence was lost to the failed sends");
            }
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT string_agg(text || ':' || seq, ',' ORDER BY seq) FROM messages")) {
                rs.next();
                assertEquals("before:1,after:2", rs.getString(1), "nothing half-written");
            }
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (token == null) {
            b.header("X-Api-Key", API_KEY);
        } else {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
