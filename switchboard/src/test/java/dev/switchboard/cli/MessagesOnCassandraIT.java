package dev.switchboard.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.testing.CassandraRing;
import dev.switchboard.testing.FreePorts;
import dev.switchboard.testing.PostgresDatabase;
import dev.switchboard.testing.RedisServerProcess;
import dev.switchboard.testing.SharedCassandraRing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code switchboard messages --db jdbc:postgresql://... --messages-db cassandra://...}
 * as an operator runs it, in a process of its own, on a real three-node ring: users
 * and the channel go to PostgreSQL, the messages sent over REST to the keyspace,
 * and history pages come back from it; a ring that cannot be reached stops the
 * start with one line naming --messages-db.
 */
@ExtendWith(SharedCassandraRing.class)
class MessagesOnCassandraIT {
    static final String SECRET = "messages-on-cassandra-it-secret-0123456789";
    static final String API_KEY = "messages-on-cassandra-key-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();
    static final int SENT = 25;

    private static Process launch(List<String> output, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("SWITCHBOARD_"));
        Process p = pb.start();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (IOException gone) {
                // the process exited
            }
        });
        return p;
    }

    @Test
    void messagesSentOverRestLiveInTheKeyspaceAndComeBackAsHistory(CassandraRing ring) throws Exception {
        String keyspace = "launcher_" + Long.toHexString(System.nanoTime() & 0xffffffL);
        int port = FreePorts.next();
        try (RedisServerProcess redis = new RedisServerProcess().start(); PostgresDatabase pg = new PostgresDatabase()) {
            List<String> output = new CopyOnWriteArrayList<>();
            Process service = launch(output, "messages", "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--db", pg.jdbcUrl(), "--messages-db", ring.uri(keyspace) + "&bucket=10", "--redis", redis.uri(),
                    "--jwt-secret", SECRET, "--api-key", "platform:" + API_KEY);
            try {
                await().atMost(Duration.ofSeconds(120)).failFast("the message-service exited: " + output, () -> !service.isAlive())
                        .until(() -> output.stream().anyMatch(l -> l.contains("message-service listening on")));
                assertTrue(output.stream().anyMatch(l -> l.contains("messages=CassandraOptions{") && l.contains(keyspace)),
                        "the start line says where messages live: " + output);
                long channel = sendAndReadHistory("http://127.0.0.1:" + port);
                assertStoredInTheKeyspaceOnly(ring, keyspace, pg, channel);
            } finally {
                service.toHandle().destroy();
                service.waitFor(60, TimeUnit.SECONDS);
                service.destroyForcibly();
            }
        }
    }

    private static long sendAndReadHistory(String rest) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String user : List.of("ana", "ben")) {
            HttpResponse<String> created = http.send(post(rest + "/v1/users", null,
                    "{\"org\":\"acme\",\"id\":\"" + user + "\",\"name\":\"" + user + "\"}").header("X-Api-Key", API_KEY).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
        }
        String ana = new TokenIssuer(SECRET).issue("ana", "acme", Duration.ofMinutes(10));
        HttpResponse<String> group = http.send(post(rest + "/v1/channels", ana,
                "{\"name\":\"ops\",\"type\":\"GROUP\",\"members\":[\"ben\"]}").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, group.statusCode(), group.body());
        JsonNode g = JSON.readTree(group.body());
        long channel = g.path("channel").path("id").asLong(g.path("id").asLong());
        for (int i = 1; i <= SENT; i++) {
            HttpResponse<String> sent = http.send(post(rest + "/v1/channels/" + channel + "/messages", ana,
                    "{\"text\":\"m" + i + "\",\"client_msg_id\":\"c-" + i + "\"}").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, sent.statusCode(), sent.body());
            assertEquals(i, JSON.readTree(sent.body()).path("seq").asLong(), sent.body());
        }
        HttpResponse<String> retry = http.send(post(rest + "/v1/channels/" + channel + "/messages", ana,
                "{\"text\":\"m7\",\"client_msg_id\":\"c-7\"}").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, retry.statusCode(), "a retry answers the stored message: " + retry.body());
        assertEquals(7, JSON.readTree(retry.body()).path("seq").asLong());

        // Newest first, 10 at a time, across buckets of 10, down to the first message.
        List<Long> seqs = new ArrayList<>();
        String cursor = "";
        do {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(rest + "/v1/channels/" + channel
                    + "/messages?limit=10" + cursor)).header("Authorization", "Bearer " + ana).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), page.body());
            JsonNode body = JSON.readTree(page.body());
            body.path("messages").forEach(m -> {
                seqs.add(m.path("seq").asLong());
                assertEquals("m" + m.path("seq").asLong(), m.path("text").asText());
            });
            cursor = body.path("next_cursor").isNull() ? null : "&before=" + body.path("next_cursor").asLong();
        } while (cursor != null);
        assertEquals(IntStream.rangeClosed(1, SENT).mapToObj(i -> (long) (SENT + 1 - i)).toList(), seqs);
        return channel;
    }

    private static HttpRequest.Builder post(String url, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private static void assertStoredInTheKeyspaceOnly(CassandraRing ring, String keyspace, PostgresDatabase pg,
                                                      long channel) throws Exception {
        try (CqlSession cql = CqlSession.builder().withLocalDatacenter(CassandraRing.DATACENTER)
                .addContactPoint(new InetSocketAddress(CassandraRing.address(1), ring.nativePort())).build()) {
            long rows = 0;
            for (long bucket = 0; bucket < 3; bucket++) {
                // A quorum read: the messages were written by Paxos, acknowledged by a quorum of the three replicas; one
                // replica alone (the driver's default, LOCAL_ONE) may not have applied the last commits yet.
                rows += cql.execute(SimpleStatement.newInstance("SELECT seq FROM " + keyspace
                        + ".channel_log WHERE channel_id = ? AND bucket = ?", channel, bucket)
                        .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_QUORUM)).all().size();
            }
            assertEquals(SENT, rows, "every message in the channel log, 10 a bucket");
        }
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
             ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM messages")) {
            r.next();
            assertEquals(0, r.getLong(1), "no message in PostgreSQL");
        }
    }

    @Test
    void aRingThatCannotBeReachedStopsTheStartNamingMessagesDb() throws Exception {
        int closed = FreePorts.next();
        try (PostgresDatabase pg = new PostgresDatabase()) {
            List<String> output = new CopyOnWriteArrayList<>();
            Process service = launch(output, "messages", "--host", "127.0.0.1", "--port", Integer.toString(FreePorts.next()),
                    "--db", pg.jdbcUrl(), "--messages-db", "cassandra://127.0.0.1:" + closed + "/chat?timeout=1000",
                    "--jwt-secret", SECRET, "--api-key", "platform:" + API_KEY);
            assertTrue(service.waitFor(90, TimeUnit.SECONDS), "exits by itself: " + output);
            await().atMost(Duration.ofSeconds(10)).until(() -> output.stream().anyMatch(l -> l.contains("--messages-db")));
            assertEquals(1, service.exitValue(), String.join("\n", output));
            String line = output.stream().filter(l -> l.contains("--messages-db")).findFirst().orElseThrow();
            assertTrue(line.startsWith("switchboard messages: cannot open the Cassandra message store at cassandra://127.0.0.1:"
                    + closed + "/chat?dc=datacenter1 (--messages-db): "), line);
            assertTrue(line.endsWith("check that Cassandra runs at those hosts and ports, that dc= names their datacenter"
                    + " (nodetool status) and that rf= is at most its number of nodes"), line);
        }
    }
}
