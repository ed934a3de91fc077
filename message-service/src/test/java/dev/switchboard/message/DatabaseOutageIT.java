package dev.switchboard.message;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.PostgresDatabase;
import dev.switchboard.testing.TcpProxy;
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
    @Test
    void sendsFailFastWhileTheDatabaseIsDownAndWorkAfterItReturns() throws Exception {
        try (PostgresDatabase pg = new PostgresDatabase();
             TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
             RecordingBroker broker = new RecordingBroker()) {
            try (OutageFixture fx = new OutageFixture(pg, proxy.port(), "", broker)) {
                String send = fx.base + "/v1/channels/" + fx.channel + "/messages";
                assertEquals(201, fx.post(send, fx.token, "{\"text\":\"before\",\"client_msg_id\":\"a\"}").statusCode());
                assertEquals(200, fx.get(fx.base + "/healthz").statusCode());

                proxy.cut();
                for (String key : List.of("b", "c")) {
                    long start = System.nanoTime();
                    HttpResponse<String> down = fx.post(send, fx.token, "{\"text\":\"during\",\"client_msg_id\":\"" + key + "\"}");
                    long tookMs = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(503, down.statusCode(), down.body());
                    assertTrue(down.body().contains("\"UNAVAILABLE\""), down.body());
                    assertTrue(tookMs < 6000, "503 took " + tookMs + " ms");
                }
                HttpResponse<String> history = fx.call("GET", send, fx.token, null);
                assertEquals(503, history.statusCode());
                HttpResponse<String> health = fx.get(fx.base + "/healthz");
                assertEquals(503, health.statusCode(), "unhealthy while the database is unreachable: " + health.body());
                assertTrue(health.body().contains("\"unhealthy\"") && health.body().contains("\"reason\""), health.body());
                assertEquals(1, broker.on(fx.realtime).size(), "nothing published while down");

                proxy.restore();
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                        fx.post(send, fx.token, "{\"text\":\"after\",\"client_msg_id\":\"d\"}").statusCode() == 201);
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                        fx.get(fx.base + "/healthz").statusCode() == 200);
                List<Long> published = broker.on(fx.realtime).stream()
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
}
