package dev.switchboard.app.fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.Fleet;
import dev.switchboard.message.store.cassandra.CassandraOptions;
import dev.switchboard.testing.CassandraRing;
import dev.switchboard.testing.SharedCassandraRing;
import dev.switchboard.wire.proto.Publication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One node of the three-node Cassandra ring that holds the messages (replication
 * factor 3, quorum writes, Paxos per sequence; ADR 0011) is SIGKILLed while
 * clients send 200 messages a second over REST, and started again on its data;
 * in between, a second node is killed too, so that no quorum can be met. Real
 * processes and sockets throughout: the ring's JVMs, PostgreSQL, a redis-server,
 * an edge and a member's WebSocket. The contract, checked against the store (read
 * back over REST once the ring is whole) and the member's live deliveries:
 *
 * <ul>
 *   <li>with one node down, sends keep succeeding (quorum is two of three);</li>
 *   <li>with two down, a send answers 503 {@code UNAVAILABLE} saying that not
 *       enough replicas are alive, and such a send is not stored;</li>
 *   <li>every acknowledged (201) send is stored once, at the sequence
 *       acknowledged; sequences have no gaps; a send whose outcome was unknown
 *       (503 {@code COMMIT_OUTCOME_UNKNOWN}), retried with its client_msg_id,
 *       answers the one stored message or stores it then;</li>
 *   <li>every message acknowledged on its first answer is delivered live to the
 *       member once, each channel in sequence order, and nothing unstored is.</li>
 * </ul>
 */
@ExtendWith(SharedCassandraRing.class)
class CassandraNodeKillFaultIT {
    static final String ORG = "acme";
    static final int CHANNELS = 8;
    static final long TICK_MICROS = 5_000; // 200 sends a second
    static final int MAX_IN_FLIGHT = 400;
    static final ObjectMapper JSON = new ObjectMapper();

    enum Phase { THREE_NODES, TWO_NODES, ONE_NODE, NODE_RESTARTING, WHOLE }

    record Answer(String clientMsgId, int channel, Phase phase, int status, String code, String message, long seq)
            implements AnswersVsStore.Sent {
    }

    private Fleet fleet;
    private final List<Long> channelIds = new ArrayList<>();
    private final Map<Integer, String> tokens = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicLong next = new AtomicLong();
    private volatile Phase phase = Phase.THREE_NODES;

    @Test
    void everyAcknowledgedSendIsStoredAndDeliveredOnceWhileANodeIsKilledAndRestarted(CassandraRing ring) throws Exception {
        String keyspace = "nodekill_" + Long.toHexString(System.nanoTime() & 0xffffffL);
        CassandraOptions store = CassandraOptions.parse(ring.uri(keyspace) + "&bucket=100");
        long started = System.nanoTime();
        try (Fleet f = new Fleet(1, store)) {
            fleet = f;
            fleet.createUser(ORG, "watcher");
            for (int c = 0; c < CHANNELS; c++) {
                fleet.createUser(ORG, "u" + c);
                channelIds.add(fleet.createGroup(ORG, "watcher", "busy-" + c, "u" + c));
                tokens.put(c, fleet.token("u" + c, ORG));
            }
            Fleet.Recorder watcher = fleet.connect(0, "watcher", ORG);

            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            Map<String, Object> report = new java.util.LinkedHashMap<>();
            try {
                ticker.scheduleAtFixedRate(this::offer, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
                await("sends flow on three nodes").atMost(Duration.ofSeconds(60)).until(() -> acknowledged(Phase.THREE_NODES) >= 300);

                ring.kill(3);
                phase = Phase.TWO_NODES;
                long killed = System.nanoTime();
                await("sends keep succeeding with two nodes").atMost(Duration.ofSeconds(90))
                        .until(() -> acknowledged(Phase.TWO_NODES) >= 600);
                
                // No quorum: the stream pauses (its sends would only queue) and, once every send of the two-node
                // phase is answered, single sends probe until the coordinator knows that the replicas are gone
                // and says so.
                ticker.shutdown();
                assertTrue(ticker.awaitTermination(10, TimeUnit.SECONDS));
                await("the two-node phase answered").atMost(Duration.ofSeconds(120)).until(() -> inFlight.get() == 0);
                report.put("two nodes: answers", kinds(Phase.TWO_NODES));
                phase = Phase.ONE_NODE;
                ring.kill(2);
                AtomicInteger probes = new AtomicInteger();
                await("a clear 503 with two nodes down").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            Answer a = sendNow(probes.getAndIncrement());
                            return a.status() == 503 && a.code().equals("UNAVAILABLE") && a.message().contains("not enough replicas");
                        });
                report.put("one node: probes", kinds(Phase.ONE_NODE));

                // Both start again; once the second is up (a quorum again), the full stream resumes while the
                // first node killed is still starting, and goes on until it is back.
                long restart = System.nanoTime();
                CompletableFuture<Void> third = CompletableFuture.runAsync(() -> ring.start(3));
                ring.start(2);
                phase = Phase.NODE_RESTARTING;
                ScheduledExecutorService again = Executors.newSingleThreadScheduledExecutor();
                try {
                    again.scheduleAtFixedRate(this::offer, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
                    third.get(200, TimeUnit.SECONDS);
                    report.put("node 3 restart ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restart));
                    phase = Phase.WHOLE;
                    await("sends flow on the whole ring again").atMost(Duration.ofSeconds(90))
                            .until(() -> acknowledged(Phase.WHOLE) >= 200);
                } finally {
                    again.shutdown();
                    assertTrue(again.awaitTermination(10, TimeUnit.SECONDS));
                }
                report.put("node 3 killed to whole ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
            } finally {
                ticker.shutdownNow();
                // Whatever happens, the shared ring is whole again for the next test class.
                for (int i = 2; i <= 3; i++) {
                    if (!ring.isRunning(i)) {
                        ring.start(i);
                    }
                }
            }
            await("every send answered").atMost(Duration.ofSeconds(120)).until(() -> inFlight.get() == 0);
            verify(watcher, report);
            report.put("wall ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            FaultReport out = new FaultReport("cassandra-node-kill");
            report.forEach(out::put);
            out.write();
        }
    }

    /** One tick of the stream: the next message, to channel {@code i % CHANNELS}, unless too many are unanswered. */
    private void offer() {
        if (inFlight.get() >= MAX_IN_FLIGHT) {
            skipped.incrementAndGet();
            return;
        }
        long i = next.getAndIncrement();
        int c = (int) (i % CHANNELS);
        String id = "m-" + i;
        Phase at = phase;
        inFlight.incrementAndGet();
        http.sendAsync(request(c, id), HttpResponse.BodyHandlers.ofString())
                .whenComplete((res, e) -> {
                    answers.put(id, answer(id, c, at, res, e));
                    inFlight.decrementAndGet();
                });
    }

    private Answer sendNow(int probe) throws Exception {
        String id = "probe-" + probe;
        int c = probe % CHANNELS;
        Answer a;
        try {
            a = answer(id, c, phase, http.send(request(c, id), HttpResponse.BodyHandlers.ofString()), null);
        } catch (Exception e) {
            a = answer(id, c, phase, null, e);
        }
        answers.put(id, a);
        return a;
    }

    private HttpRequest request(int c, String id) {
        return HttpRequest.newBuilder(URI.create(fleet.restBase() + "/v1/channels/" + channelIds.get(c) + "/messages"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + tokens.get(c))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"t " + id + "\",\"client_msg_id\":\"" + id + "\"}"))
                .build();
    }

    private static Answer answer(String id, int c, Phase phase, HttpResponse<String> res, Throwable e) {
        if (res == null) {
            return new Answer(id, c, phase, -1, "NO_ANSWER", String.valueOf(e), 0);
        }
        JsonNode body;
        try {
            body = res.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(res.body());
        } catch (Exception parse) {
            body = JSON.createObjectNode();
        }
        return new Answer(id, c, phase, res.statusCode(), body.path("error").path("code").asText(""),
                body.path("error").path("message").asText(""), body.path("seq").asLong(0));
    }

    private long acknowledged(Phase p) {
        return answers.values().stream().filter(a -> a.phase() == p && a.status() == 201).count();
    }

    private Map<String, Long> kinds(Phase p) {
        return answers.values().stream().filter(a -> a.phase() == p)
                .collect(Collectors.groupingBy(Answer::kind, TreeMap::new, Collectors.counting()));
    }

    private void verify(Fleet.Recorder watcher, Map<String, Object> report) throws Exception {
        // Sends whose outcome was unknown are retried with their key, as the answer says to.
        Map<String, Answer> retries = new HashMap<>();
        for (Answer a : List.copyOf(answers.values())) {
            if (a.kind().equals("503 COMMIT_OUTCOME_UNKNOWN") || a.status() == -1) {
                retries.put(a.clientMsgId(), sendRetry(a));
            }
        }

        // The store, read back over REST with every node up: per channel, client_msg_id -> seq.
        Map<String, AnswersVsStore.Row> stored = new HashMap<>(); // by client_msg_id: channel index and seq
        AnswersVsStore check = new AnswersVsStore(stored);
        for (int c = 0; c < CHANNELS; c++) {
            long expectSeq = 1;
            long after = 0;
            while (true) {
                Fleet.Rest page = fleet.rest("GET", "/v1/channels/" + channelIds.get(c) + "/messages?after=" + after
                        + "&limit=200", tokens.get(c), null);
                assertEquals(200, page.status(), String.valueOf(page.body()));
                for (JsonNode m : page.body().path("messages")) {
                    long seq = m.path("seq").asLong();
                    if (seq != expectSeq) {
                        check.violation("channel " + c + ": seq " + seq + " after " + (expectSeq - 1) + " (a gap)");
                    }
                    expectSeq = seq + 1;
                    String id = m.path("client_msg_id").asText();
                    if (stored.put(id, new AnswersVsStore.Row(c, seq)) != null) {
                        check.violation("stored twice: " + id);
                    }
                }
                if (page.body().path("next_cursor").isNull()) {
                    break;
                }
                after = page.body().path("next_cursor").asLong();
            }
        }

        Map<String, Integer> byAnswer = new TreeMap<>();
        Set<String> unpublished = new HashSet<>(); // stored, but their first answer was not an acknowledgement
        for (Answer a : answers.values()) {
            byAnswer.merge(a.phase() + " " + a.kind(), 1, Integer::sum);
            if (check.check(a)) {
                continue;
            }
            if (a.kind().equals("503 COMMIT_OUTCOME_UNKNOWN") || a.kind().equals("-1 NO_ANSWER")) { // retried above
                Answer r = retries.get(a.clientMsgId());
                AnswersVsStore.Row row = check.stored(a.clientMsgId());
                if (r.status() != 200 && r.status() != 201 || row == null || row.seq() != r.seq()) {
                    check.violation("retry of an unknown outcome: " + a + " -> " + r + ", stored "
                            + (row == null ? "no" : row.seq()));
                }
                unpublished.add(a.clientMsgId());
            } else {
                check.violation("unexpected answer: " + a);
            }
        }
        for (String id : stored.keySet()) {
            if (!answers.containsKey(id)) {
                check.violation("stored but never sent: " + id);
            }
        }

        // Live deliveries: every message acknowledged on its first answer, once, each channel in order.
        Map<Long, Integer> channelIndex = new HashMap<>();
        for (int c = 0; c < CHANNELS; c++) {
            channelIndex.put(channelIds.get(c), c);
        }
        Set<String> expected = new HashSet<>();
        Map<String, String> idAt = new HashMap<>();
        stored.forEach((id, row) -> {
            idAt.put(row.channel() + "/" + row.seq(), id);
            if (!unpublished.contains(id)) {
                expected.add(row.channel() + "/" + row.seq());
            }
        });
        Set<String> delivered = new HashSet<>();
        long[] lastSeq = new long[CHANNELS];
        int duplicates = 0;
        int outOfOrder = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!delivered.containsAll(expected) && System.nanoTime() < deadline) {
            Publication p = watcher.nextPublication(Duration.ofSeconds(1));
            if (p == null) {
                continue;
            }
            int c = channelIndex.get(Long.parseLong(p.getChannel().substring(p.getChannel().lastIndexOf('/') + 1)));
            String at = c + "/" + p.getSeq();
            if (!delivered.add(at)) {
                duplicates++;
            }
            if (p.getSeq() <= lastSeq[c]) {
                outOfOrder++;
            }
            lastSeq[c] = p.getSeq();
            if (!idAt.containsKey(at)) {
                check.violation("delivered but not stored: " + at);
            }
        }
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(delivered);

        // For an acknowledgement the store does not hold at its sequence: what it holds there, and how that was answered.
        for (Answer a : answers.values()) {
            AnswersVsStore.Row row = check.stored(a.clientMsgId());
            if (a.status() == 201 && (row == null || row.seq() != a.seq())) {
                String there = idAt.get(a.channel() + "/" + a.seq());
                check.violation("  at channel " + a.channel() + " seq " + a.seq() + " the store holds " + there
                        + (there == null ? "" : ", answered " + answers.get(there) + ", retried " + retries.get(there))
                        + "; " + a.clientMsgId() + " is stored " + (row == null ? "nowhere" : "at " + row.seq()));
            }
        }
        report.put("sends", answers.size());
        report.put("ticks skipped (" + MAX_IN_FLIGHT + " sends unanswered)", skipped.get());
        report.put("answers by phase", byAnswer);
        report.put("retries of unknown outcomes", retries.size());
        report.put("stored", stored.size());
        report.put("delivered live", delivered.size());
        assertEquals(List.of(), check.violations());
        assertEquals(Set.of(), missing, "acknowledged messages never delivered live");
        assertEquals(0, duplicates, "delivered twice");
        assertEquals(0, outOfOrder, "delivered out of sequence order");
    }

    private Answer sendRetry(Answer first) throws Exception {
        HttpResponse<String> res = http.send(request(first.channel(), first.clientMsgId()), HttpResponse.BodyHandlers.ofString());
        return answer(first.clientMsgId(), first.channel(), Phase.WHOLE, res, null);
    }
}
