package dev.switchboard.message;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testing.PostgresDatabase;
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
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aSendWhoseCommitFailsAnswersWhatReallyHappened() throws Exception {
        try (PostgresDatabase pg = new PostgresDatabase();
             CommitCuttingProxy proxy = new CommitCuttingProxy(5432);
             RecordingBroker broker = new RecordingBroker()) {
            // prepareThreshold=0: every COMMIT goes out as text, for the proxy to see.
            try (OutageFixture fx = new OutageFixture(pg, proxy.port(), "&prepareThreshold=0", broker)) {
                String send = fx.base + "/v1/channels/" + fx.channel + "/messages";

                // Durable, but the connection died before the answer: acknowledged and published.
                proxy.arm(CommitCuttingProxy.Cut.AFTER);
                HttpResponse<String> stored = fx.post(send, fx.token, "{\"text\":\"durable\",\"client_msg_id\":\"a\"}");
                assertTrue(proxy.fired(), "the COMMIT was cut");
                assertEquals(201, stored.statusCode(), stored.body());
                assertEquals(1, json.readTree(stored.body()).path("seq").asLong());

                // Never reached the server: rolled back, 503 UNAVAILABLE, and the sequence is not lost.
                proxy.arm(CommitCuttingProxy.Cut.BEFORE);
                HttpResponse<String> lost = fx.post(send, fx.token, "{\"text\":\"lost\",\"client_msg_id\":\"b\"}");
                assertTrue(proxy.fired(), "the COMMIT was cut");
                assertEquals(503, lost.statusCode(), lost.body());
                assertEquals("UNAVAILABLE", code(lost));
                assertEquals(201, fx.post(send, fx.token, "{\"text\":\"next\",\"client_msg_id\":\"c\"}").statusCode());

                // Durable, and the database cannot be asked within the deadline: the distinct retryable error.
                proxy.arm(CommitCuttingProxy.Cut.AFTER);
                proxy.refuse(true);
                HttpResponse<String> unknown = fx.post(send, fx.token, "{\"text\":\"unknown\",\"client_msg_id\":\"d\"}");
                proxy.refuse(false);
                assertEquals(503, unknown.statusCode(), unknown.body());
                assertEquals("COMMIT_OUTCOME_UNKNOWN", code(unknown));
                assertEquals("1", unknown.headers().firstValue("retry-after").orElse(""));
                assertTrue(unknown.body().contains("retry with the same client_msg_id"), unknown.body());
                // The client retries as told (Retry-After) until the database answers again.
                HttpResponse<String> retried = await("the retry is answered by the database").atMost(Duration.ofSeconds(60))
                        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                        .until(() -> fx.post(send, fx.token, "{\"text\":\"unknown\",\"client_msg_id\":\"d\"}"),
                                r -> r.statusCode() != 503);
                assertEquals(200, retried.statusCode(), "the retry finds the stored message: " + retried.body());
                assertEquals(3, json.readTree(retried.body()).path("seq").asLong());

                List<Long> published = broker.on(fx.realtime).stream().map(d -> d.frame().getPublication().getSeq()).toList();
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
            // prepareThreshold=0: every COMMIT goes out as text, for the proxy to see.
            try (OutageFixture fx = new OutageFixture(pg, proxy.port(), "&prepareThreshold=0", broker)) {
                HttpResponse<String> sent = fx.post(fx.base + "/v1/channels/" + fx.channel + "/messages", fx.token, "{\"text\":\"hi\"}");
                long id = json.readTree(sent.body()).get("id").asLong();
                String message = fx.base + "/v1/channels/" + fx.channel + "/messages/" + id;

                // An edit made durable, its connection dead before the answer: the event row is found, acknowledged, published.
                proxy.arm(CommitCuttingProxy.Cut.AFTER);
                HttpResponse<String> edited = fx.call("PATCH", message, fx.token, "{\"text\":\"hello\",\"client_msg_id\":\"e\"}");
                assertTrue(proxy.fired(), "the COMMIT was cut");
                assertEquals(200, edited.statusCode(), edited.body());
                assertEquals(2, json.readTree(edited.body()).path("event").path("seq").asLong());
                assertEquals("hello", json.readTree(edited.body()).path("text").asText());

                // A reaction that never reached the server: 503 UNAVAILABLE, and its sequence is not lost.
                proxy.arm(CommitCuttingProxy.Cut.BEFORE);
                HttpResponse<String> lost = fx.call("PUT", message + "/reactions/eyes?client_msg_id=r1", fx.token, null);
                assertTrue(proxy.fired(), "the COMMIT was cut");
                assertEquals(503, lost.statusCode(), lost.body());
                assertEquals("UNAVAILABLE", code(lost));
                assertTrue(lost.body().contains("the change was not stored"), lost.body());
                HttpResponse<String> added = fx.call("PUT", message + "/reactions/eyes?client_msg_id=r1", fx.token, null);
                assertEquals(201, added.statusCode(), added.body());
                assertEquals(3, json.readTree(added.body()).path("event").path("seq").asLong());

                // Durable, and the database cannot be asked within the deadline: retry with the same client_msg_id.
                proxy.arm(CommitCuttingProxy.Cut.AFTER);
                proxy.refuse(true);
                HttpResponse<String> unknown = fx.call("PUT", message + "/reactions/tada?client_msg_id=r2", fx.token, null);
                proxy.refuse(false);
                assertEquals(503, unknown.statusCode(), unknown.body());
                assertEquals("COMMIT_OUTCOME_UNKNOWN", code(unknown));
                assertTrue(unknown.body().contains("retry with the same client_msg_id"), unknown.body());
                HttpResponse<String> retried = await("the retry is answered by the database").atMost(Duration.ofSeconds(60))
                        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                        .until(() -> fx.call("PUT", message + "/reactions/tada?client_msg_id=r2", fx.token, null),
                                r -> r.statusCode() != 503);
                assertEquals(200, retried.statusCode(), "the retry finds the stored change: " + retried.body());
                assertEquals(4, json.readTree(retried.body()).path("event").path("seq").asLong());

                List<Long> published = broker.on(fx.realtime).stream().map(d -> d.frame().getPublication().getSeq()).toList();
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
}
