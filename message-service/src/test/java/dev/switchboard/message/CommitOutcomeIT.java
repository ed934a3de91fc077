package dev.switchboard.message;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.testing.PostgresDatabase;
import dev.switchboard.wire.ChannelNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exact outcome of a send whose COMMIT fails with the connection (issue #15,
 * item 5), over real sockets to PostgreSQL through {@link CommitCuttingProxy}:
 * a commit that became durable although the connection died is acknowledged
 * (201) and published; one that never reached the server is 503 UNAVAILABLE
 * and stored nowhere; one that cannot be looked up (new connections refused for
 * longer than the 10 s lookup deadline) is 503 COMMIT_OUTCOME_UNKNOWN with
 * Retry-After, and a retry with the same client_msg_id answers 200 with the
 * stored message.
 */
class CommitOutcomeIT {
    static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    static final String API_KEY = "server-key-0123456789";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aSendWhoseCommitFailsAnswersWhatReallyHappened() throws Exception {
        try (PostgresDatabase pg = new PostgresDatabase();
             CommitCuttingProxy proxy = new CommitCuttingProxy(5432);
             RecordingBroker broker = new RecordingBroker()) {
            String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + pg.name() + "?user=postgres&prepareThreshold=0"; // every COMMIT goes out as text, for the proxy to see
            MessageServerOptions options = MessageServerOptions.builder().host("127.0.0.1").port(0)
                    .database(DatabaseOptions.builder().jdbcUrl(viaProxy).poolSize(2)
                            .connectionTimeout(Duration.ofSeconds(2)).build())
                    .build();
            try (MessageServer server = MessageServer.start(options, broker.broker(),
                    TokenVerifier.builder().hs256Secret(SECRET).build(), new ApiKeys(List.of(API_KEY)),
                    new SimpleMeterRegistry())) {
                String base = "http://127.0.0.1:" + server.port();
                String token = new TokenIssuer(SECRET).issue("ana", "acme", Duration.ofMinutes(5));
                assertEquals(201, post(base + "/v1/users", null, "{\"org\":\"acme\",\"id\":\"ana\",\"name\":\"Ana\"}").statusCode());
                HttpResponse<String> group = post(base + "/v1/channels", token, "{\"name\":\"ops\",\"type\":\"GROUP\"}");
                long channel = json.readTree(group.body()).get("id").asLong();
                String realtime = ChannelNames.chat("acme", channel);
                broker.subscribe(realtime);
                String send = base + "/v1/channels/" + channel + "/messages";

                // Durable, but the connection died before the answer: acknowledged and published.
                proxy.arm(CommitCuttingProxy.Cut.AFTER);
                HttpResponse<String> stored = post(send, token, "{\"text\":\"durable\",\"client_msg_id\":\"a\"}");
                assertTrue(proxy.fired(), "the COMMIT was cut");
                assertEquals(201, stored.statusCode(), stored.body());
                assertEquals(1, json.readTree(stored.body()).path("seq").asLong());

                // Never reached the server: rolled back, 503 UNAVAILABLE, and the sequence is not lost.
                proxy.arm(CommitCuttingProxy.Cut.BEFORE);
                HttpResponse<String> lost = post(send, token, "{\"text\":\"lost\",\"client_msg_id\":\"b\"}");
                assertTrue(proxy.fired(), "the COMMIT was cut");
                assertEquals(503, lost.statusCode(), lost.body());
                assertEquals("UNAVAILABLE", code(lost));
                assertEquals(201, post(send, token, "{\"text\":\"next\",\"client_msg_id\":\"c\"}").statusCode());

                // Durable, and the database cannot be asked within the deadline: the distinct retryable error.
                proxy.arm(CommitCuttingProxy.Cut.AFTER);
                proxy.refuse(true);
                HttpResponse<String> unknown = post(send, token, "{\"text\":\"unknown\",\"client_msg_id\":\"d\"}");
                proxy.refuse(false);
                assertEquals(503, unknown.statusCode(), unknown.body());
                assertEquals("COMMIT_OUTCOME_UNKNOWN", code(unknown));
                assertEquals("1", unknown.headers().firstValue("retry-after").orElse(""));
                assertTrue(unknown.body().contains("retry with the same client_msg_id"), unknown.body());
                // The client retries as told (Retry-After) until the database answers again.
                HttpResponse<String> retried = await("the retry is answered by the database").atMost(Duration.ofSeconds(60))
                        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                        .until(() -> post(send, token, "{\"text\":\"unknown\",\"client_msg_id\":\"d\"}"),
                                r -> r.statusCode() != 503);
                assertEquals(200, retried.statusCode(), "the retry finds the stored message: " + retried.body());
                assertEquals(3, json.readTree(retried.body()).path("seq").asLong());

                List<Long> published = broker.on(realtime).stream().map(d -> d.frame().getPublication().getSeq()).toList();
                assertEquals(List.of(1L, 2L), published, "the durable send was published; the unknown one is read from history");
            }
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
                 ResultSet rs = c.createStatement().executeQuery(
                         "SELECT string_agg(client_msg_id || ':' || seq, ',' ORDER BY seq) FROM messages")) {
                rs.next();
                assertEquals("a:1,c:2,d:3", rs.getString(1), "stored exactly what was acknowledged or unknown, once");
            }
        }
    }

    @Test
    void aChangeWhoseCommitFailsAnswersWhatReallyHappenedToo() throws Exception {
        try (PostgresDatabase pg = new PostgresDatabase();
             CommitCuttingProxy proxy = new CommitCuttingProxy(5432);
             RecordingBroker broker = new RecordingBroker()) {
            String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + pg.name() + "?user=postgres&prepareThreshold=0";
            MessageServerOptions options = MessageServerOptions.builder().host("127.0.0.1").port(0)
                    .database(DatabaseOptions.builder().jdbcUrl(viaProxy).poolSize(2)
                            .connectionTimeout(Duration.ofSeconds(2)).build())
                    .build();
            try (MessageServer server = MessageServer.start(options, broker.broker(),
                    TokenVerifier.builder().hs256Secret(SECRET).build(), new ApiKeys(List.of(API_KEY)),
                    new SimpleMeterRegistry())) {
                String base = "http://127.0.0.1:" + server.port();
                String token = new TokenIssuer(SECRET).issue("ana", "acme", Duration.ofMinutes(5));
                assertEquals(201, post(base + "/v1/users", null, "{\"org\":\"acme\",\"id\":\"ana\",\"name\":\"Ana\"}").statusCode());
                HttpResponse<String> group = post(base + "/v1/channels", token, "{\"name\":\"ops\",\"type\":\"GROUP\"}");
                long channel = json.readTree(group.body()).get("id").asLong();
                String realtime = ChannelNames.chat("acme", channel);
                broker.subscribe(realtime);
                HttpResponse<String> sent = post(base + "/v1/channels/" + channel + "/messages", token, "{\"text\":\"hi\"}");
                long id = json.readTree(sent.body()).get("id").asLong();
                String message = base + "/v1/channels/" + channel + "/messages/" + id;

                // An edit made durable, its connection dead before the answer: the event row is found, acknowledged, published.
                proxy.arm(CommitCuttingProxy.Cut.AFTER);
                HttpResponse<String> edited = call("PATCH", message, token, "{\"text\":\"hello\",\"client_msg_id\":\"e\"}");
                assertTrue(proxy.fired(), "the COMMIT was cut");
                assertEquals(200, edited.statusCode(), edited.body());
                assertEquals(2, json.readTree(edited.body()).path("event").path("seq").asLong());
                assertEquals("hello", json.readTree(edited.body()).path("text").asText());

                // A reaction that never reached the server: 503 UNAVAILABLE, and its sequence is not lost.
                proxy.arm(CommitCuttingProxy.Cut.BEFORE);
                HttpResponse<String> lost = call("PUT", message + "/reactions/eyes?client_msg_id=r1", token, null);
                assertTrue(proxy.fired(), "the COMMIT was cut");
                assertEquals(503, lost.statusCode(), lost.body());
                assertEquals("UNAVAILABLE", code(lost));
                assertTrue(lost.body().contains("the change was not stored"), lost.body());
                HttpResponse<String> added = call("PUT", message + "/reactions/eyes?client_msg_id=r1", token, null);
                assertEquals(201, added.statusCode(), added.body());
                assertEquals(3, json.readTree(added.body()).path("event").path("seq").asLong());

                // Durable, and the database cannot be asked within the deadline: retry with the same client_msg_id.
                proxy.arm(CommitCuttingProxy.Cut.AFTER);
                proxy.refuse(true);
                HttpResponse<String> unknown = call("PUT", message + "/reactions/tada?client_msg_id=r2", token, null);
                proxy.refuse(false);
                assertEquals(503, unknown.statusCode(), unknown.body());
                assertEquals("COMMIT_OUTCOME_UNKNOWN", code(unknown));
                assertTrue(unknown.body().contains("retry with the same client_msg_id"), unknown.body());
                HttpResponse<String> retried = await("the retry is answered by the database").atMost(Duration.ofSeconds(60))
                        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                        .until(() -> call("PUT", message + "/reactions/tada?client_msg_id=r2", token, null),
                                r -> r.statusCode() != 503);
                assertEquals(200, retried.statusCode(), "the retry finds the stored change: " + retried.body());
                assertEquals(4, json.readTree(retried.body()).path("event").path("seq").asLong());

                List<Long> published = broker.on(realtime).stream().map(d -> d.frame().getPublication().getSeq()).toList();
                assertEquals(List.of(1L, 2L, 3L), published, "the durable changes were published; the unknown one is read from the log");
            }
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
                 ResultSet rs = c.createStatement().executeQuery(
                         "SELECT string_agg(kind || ':' || seq || ':' || COALESCE(emoji, ''), ',' ORDER BY seq) FROM message_events")) {
                rs.next();
                assertEquals("EDIT:2:,REACTION_ADDED:3:eyes,REACTION_ADDED:4:tada", rs.getString(1),
                        "stored exactly what was acknowledged or unknown, once");
            }
        }
    }

    private String code(HttpResponse<String> r) throws Exception {
        JsonNode body = json.readTree(r.body());
        return body.path("error").path("code").asText();
    }

    private HttpResponse<String> call(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        b.header(token == null ? "X-Api-Key" : "Authorization", token == null ? API_KEY : "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
