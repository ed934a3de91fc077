package dev.switchboard.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.app.Fleet.Recorder;
import dev.switchboard.app.Fleet.Rest;
import dev.switchboard.wire.chat.ChatMessage;
import dev.switchboard.wire.proto.ConnectResult;
import dev.switchboard.wire.proto.HistoryResult;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.PublishResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message's live copy, its history copies (over the WebSocket and REST) and its
 * recovery replay are the same bytes, in dev mode (H2, in-memory broker, the edge
 * calling the message-service in the JVM) and in a fleet (PostgreSQL, Redis, the
 * edge reading history over REST from another process's API).
 */
class SameBytesIT {
    /** Texts and attachments that a copy made by hand would spell differently. */
    static final List<String> TEXTS = List.of("plain", "quote \" backslash \\ slash / tab \t newline \n",
            "\u2028\u2029 line separators", "</script><b>&amp;</b>", "émoji 🎉 and 👩🏽‍💻 and ﷽", "", "\u0001\u001f control",
            "right-to-left \u202e עברית", "BOM \ufeff and noncharacter \ufffe");
    static final List<String> ATTACHMENTS = List.of("[{\"name\":\"a.png\",\"size\":1234}]",
            "[{\"ratio\":1.50,\"big\":123456789012345678901234567890,\"exp\":1e3,\"nested\":{\"k\":[1,2.0e-7,\"ü\",null,true]}}]",
            "[]", "[{\"url\":\"https://x.test/a?b=c&d=\\u00e9\",\"empty\":{}}]");

    @Test
    void liveHistoryAndReplayAreTheSameBytesInDevMode(@TempDir Path dir) throws Exception {
        try (DevChat dev = new DevChat(dir)) {
            check(dev);
        }
    }

    @Test
    void liveHistoryAndReplayAreTheSameBytesInAFleet() throws Exception {
        try (Fleet fleet = new Fleet(2)) {
            check(fleet);
        }
    }

    static void check(ChatSystem system) throws Exception {
        system.createUser("acme", "alice");
        system.createUser("acme", "bob");
        long id = system.createGroup("acme", "alice", "bytes", "bob");
        String channel = "acme/chat/" + id;
        String aliceToken = system.token("alice", "acme");
        Recorder alice = system.connect(0, "alice", "acme");
        Recorder bob = system.connect(1 % system.edgeCount(), "bob", "acme");

        int total = 0;
        List<PublishResult> acks = new ArrayList<>();
        for (String text : TEXTS) {
            for (int a = -1; a < ATTACHMENTS.size(); a++) {
                if (text.isEmpty() && (a < 0 || ATTACHMENTS.get(a).equals("[]"))) {
                    continue; // a message needs text or attachments
                }
                var payload = ChatSystem.JSON.createObjectNode().put("text", text);
                if (a >= 0) {
                    payload.set("attachments", ChatSystem.JSON.readTree(ATTACHMENTS.get(a)));
                }
                total++;
                if (total % 2 == 0) {
                    acks.add(alice.client.publish(channel, payload.toString().getBytes(StandardCharsets.UTF_8), "ws-" + total)
                            .get(10, TimeUnit.SECONDS));
                } else {
                    payload.put("client_msg_id", "rest-" + total);
                    Rest sent = system.rest("POST", "/v1/channels/" + id + "/messages", aliceToken, payload.toString());
                    assertEquals(201, sent.status(), sent.toString());
                    acks.add(PublishResult.newBuilder().setSeq(sent.body().path("seq").asLong())
                            .setMessageId(sent.body().path("id").asLong()).build());
                }
            }
        }

        List<Publication> live = new ArrayList<>();
        for (int seq = 1; seq <= total; seq++) {
            Publication p = bob.nextPublication(java.time.Duration.ofSeconds(15));
            assertNotNull(p, "live seq " + seq);
            assertEquals(seq, p.getSeq());
            assertEquals(acks.get(seq - 1).getMessageId(), p.getMessageId(), "the ack names the delivered message");
            live.add(p);
        }

        HistoryResult newestFirst = bob.client.historyBefore(channel, 0, total).get(10, TimeUnit.SECONDS);
        assertEquals(total, newestFirst.getPublicationsCount());
        for (Publication h : newestFirst.getPublicationsList()) {
            assertSameBytes(live.get((int) h.getSeq() - 1), h, "history before");
        }
        HistoryResult oldestFirst = bob.client.historyAfter(channel, 0, total).get(10, TimeUnit.SECONDS);
        assertEquals(total, oldestFirst.getPublicationsCount());
        for (Publication h : oldestFirst.getPublicationsList()) {
            assertSameBytes(live.get((int) h.getSeq() - 1), h, "history after");
        }

        Rest page = system.rest("GET", "/v1/channels/" + id + "/messages?limit=" + total, aliceToken, null);
        assertEquals(200, page.status());
        for (JsonNode m : page.body().path("messages")) {
            Publication p = live.get(m.path("seq").asInt() - 1);
            assertArrayEquals(p.getPayload().toByteArray(), ChatMessage.fromJson(m).payload(), "REST history of seq " + m.path("seq"));
        }

        Recorder replayed = system.open(0, "bob", "acme");
        ConnectResult hello = replayed.client.hello(Map.of(channel, 0L)).get(20, TimeUnit.SECONDS);
        assertTrue(hello.getRecovered(0).getRecovered(), hello.toString());
        for (int seq = 1; seq <= total; seq++) {
            Publication p = replayed.nextPublication(java.time.Duration.ofSeconds(15));
            assertNotNull(p, "replayed seq " + seq);
            assertSameBytes(live.get(seq - 1), p, "recovery replay");
        }
    }

    static void assertSameBytes(Publication live, Publication copy, String what) {
        assertEquals(live.getSeq(), copy.getSeq());
        assertArrayEquals(live.getPayload().toByteArray(), copy.getPayload().toByteArray(),
                what + " payload of seq " + live.getSeq() + ": " + copy.getPayload().toStringUtf8() + " vs live " + live.getPayload().toStringUtf8());
        assertArrayEquals(live.toByteArray(), copy.toByteArray(), what + " publication of seq " + live.getSeq());
    }
}
