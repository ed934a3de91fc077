package dev.switchboard.app.fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.Fleet;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.testing.PostgresServerProcess;
import dev.switchboard.wire.proto.Publication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL is stopped ({@code pg_ctl stop -m fast}, as an operator or an
 * orchestrator stops it) in the middle of a burst of concurrent sends, and
 * started again (issue #15, item 5). A fast shutdown ends every session with
 * 57P01, also sessions whose COMMIT was already durable, so a commit that fails
 * that way has an unknown outcome; the message-service looks the message up
 * before it answers. The contract, checked against the database and a member's
 * live deliveries:
 *
 * <ul>
 *   <li>no client_msg_id answered 503 {@code UNAVAILABLE} is in the database;</li>
 *   <li>every acknowledged (201) send is stored, at the sequence acknowledged;</li>
 *   <li>every stored message is delivered live to a member (no history read),
 *       once, except any whose send was answered {@code COMMIT_OUTCOME_UNKNOWN}
 *       (the documented "retry with the same client_msg_id"; none expected here,
 *       as the database is back well within the lookup's deadline);</li>
 *   <li>every answer is 201, 503 {@code UNAVAILABLE} or 503 {@code COMMIT_OUTCOME_UNKNOWN}.</li>
 * </ul>
 */
class PostgresStopFaultIT {
    static final String ORG = "acme";
    static final int CHANNELS = 4;
    static final int SENDERS_PER_CHANNEL = 4;
    static final int MESSAGES_PER_SENDER = 40;
    static final int STOP_AFTER = 120;
    static final Duration OUTAGE = Duration.ofSeconds(2);

    record Answer(String clientMsgId, int channel, int status, String code, long seq) implements AnswersVsStore.Sent {
    }

    @Test
    void noRefusedSendIsStoredAndEveryStoredSendIsDeliveredLive() throws Exception {
        // Durable commits that wait 20 ms before their flush: a stop lands inside a commit's critical
        // section often, and the session then ends with 57P01 after its COMMIT became durable.
        try (PostgresServerProcess pg = new PostgresServerProcess("fsync=on", "synchronous_commit=on",
                "commit_delay=20000", "commit_siblings=0");
             Fleet fleet = new Fleet(1, DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).poolSize(8)
                     .connectionTimeout(Duration.ofSeconds(2)).build())) {
            fleet.createUser(ORG, "watcher");
            List<Long> channelIds = new ArrayList<>();
            for (int c = 0; c < CHANNELS; c++) {
                String[] members = new String[SENDERS_PER_CHANNEL];
                for (int s = 0; s < SENDERS_PER_CHANNEL; s++) {
                    members[s] = sender(c, s);
                    fleet.createUser(ORG, members[s]);
                }
                channelIds.add(fleet.createGroup(ORG, "watcher", "burst-" + c, members));
            }
            Fleet.Recorder watcher = fleet.connect(0, "watcher", ORG);

            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            Map<String, Answer> answers = new ConcurrentHashMap<>();
            AtomicInteger acknowledged = new AtomicInteger();
            List<Thread> senders = new ArrayList<>();
            for (int c = 0; c < CHANNELS; c++) {
                for (int s = 0; s < SENDERS_PER_CHANNEL; s++) {
                    int channel = c;
                    String user = sender(c, s);
                    String token = fleet.token(user, ORG);
                    URI uri = URI.create(fleet.restBase() + "/v1/channels/" + channelIds.get(c) + "/messages");
                    senders.add(Thread.ofPlatform().name("send-" + user).start(() -> {
                        for (int n = 0; n < MESSAGES_PER_SENDER; n++) {
                            String id = user + "-" + n;
                            String body = json.createObjectNode().put("text", "m " + id).put("client_msg_id", id).toString();
                            try {
                                HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(90))
                                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                                JsonNode answer = res.body().isEmpty() ? json.createObjectNode() : json.readTree(res.body());
                                answers.put(id, new Answer(id, channel, res.statusCode(), answer.path("error").path("code").asText(""),
                                        answer.path("seq").asLong(0)));
                                if (res.statusCode() == 201) {
                                    acknowledged.incrementAndGet();
                                }
                            } catch (Exception e) {
                                answers.put(id, new Answer(id, channel, -1, e.toString(), 0));
                            }
                        }
                    }));
                }
            }

            // Polled often: the stop is meant to land while the burst is in full flow.
            await("the senders are in full flow").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5))
                    .until(() -> acknowledged.get() >= STOP_AFTER);
            pg.stopFast();
            // The outage's length is the fault injected: the senders keep sending while the database is down.
            Thread.sleep(OUTAGE.toMillis());
            pg.start();
            for (Thread t : senders) {
                t.join(TimeUnit.SECONDS.toMillis(180));
                assertFalse(t.isAlive(), t.getName() + " did not finish");
            }

            // What the database holds, per client_msg_id.
            Map<String, AnswersVsStore.Row> stored = new HashMap<>();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
                 ResultSet rs = c.createStatement().executeQuery("SELECT client_msg_id, channel_id, seq FROM messages")) {
                while (rs.next()) {
                    stored.put(rs.getString(1), new AnswersVsStore.Row(rs.getLong(2), rs.getLong(3)));
                }
            }

            Map<String, Integer> byAnswer = new TreeMap<>();
            Set<String> unknown = new HashSet<>();
            AnswersVsStore check = new AnswersVsStore(stored);
            for (Answer a : answers.values()) {
                byAnswer.merge(a.kind(), 1, Integer::sum);
                if (check.check(a)) {
                    continue;
                }
                if (a.kind().equals("503 COMMIT_OUTCOME_UNKNOWN")) {
                    unknown.add(a.clientMsgId());
                } else {
                    check.violation("unexpected answer: " + a);
                }
            }
            assertEquals(SENDERS_PER_CHANNEL * CHANNELS * MESSAGES_PER_SENDER, answers.size(), "every send was answered");

            // Every stored message reaches the member live: gather publications until every one is in.
            Map<Long, Integer> channelIndex = new HashMap<>();
            for (int c = 0; c < CHANNELS; c++) {
                channelIndex.put(channelIds.get(c), c);
            }
            Set<String> expected = new HashSet<>();
            stored.forEach((id, row) -> {
                if (!unknown.contains(id)) {
                    expected.add(channelIndex.get(row.channel()) + "/" + row.seq());
                }
            });
            Set<String> delivered = new HashSet<>();
            int duplicates = 0;
            long liveDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!delivered.containsAll(expected) && System.nanoTime() < liveDeadline) {
                Publication p = watcher.nextPublication(Duration.ofSeconds(1));
                if (p != null) {
                    long id = Long.parseLong(p.getChannel().substring(p.getChannel().lastIndexOf('/') + 1));
                    if (!delivered.add(channelIndex.get(id) + "/" + p.getSeq())) {
                        duplicates++;
                    }
                }
            }
            Set<String> missing = new HashSet<>(expected);
            missing.removeAll(delivered);

            System.out.printf("PostgresStopFaultIT: %d sends, answers %s, %d stored, %d delivered live, %d duplicates%n",
                    answers.size(), byAnswer, stored.size(), delivered.size(), duplicates);
            new FaultReport("postgres-stop").put("sends", answers.size()).put("answers", byAnswer.toString())
                    .put("stored", stored.size()).put("delivered live", delivered.size())
                    .put("outage ms", OUTAGE.toMillis()).write();
            assertEquals(List.of(), check.violations());
            assertEquals(Set.of(), missing, "stored messages never delivered live");
            assertEquals(0, duplicates, "delivered twice");
            assertTrue(byAnswer.getOrDefault("503 UNAVAILABLE", 0) > 0, "the stop refused some sends: " + byAnswer);
        }
    }

    static String sender(int channel, int index) {
        return "s" + channel + "-" + index;
    }
}
