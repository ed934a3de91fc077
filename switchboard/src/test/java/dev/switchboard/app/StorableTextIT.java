package dev.switchboard.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.app.Fleet.Recorder;
import dev.switchboard.app.Fleet.Rest;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.proto.HistoryResult;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.PublishResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text over real sockets (issue #15, item 6). A property test: random Unicode
 * (ASCII, the whole BMP but surrogates, astral characters as surrogate pairs,
 * combining marks, controls) sent over the WebSocket and REST is acknowledged,
 * stored in PostgreSQL, delivered live and returned by history as the same
 * bytes. And text that cannot be stored as sent (a NUL, a lone surrogate) is
 * refused with 400 INVALID_ARGUMENT / INVALID_ARGUMENT on every text field,
 * in a fleet and in dev mode (the edge calling the message-service in its JVM),
 * and nothing of it is stored.
 */
class StorableTextIT {
    static final long SEED = 15;
    static final int MESSAGES = 80;
    /** JSON with every non-ASCII character escaped, so that a lone surrogate reaches the server as {@code \ud800}. */
    static final ObjectWriter ESCAPED = ChatSystem.JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);
    static final List<String> UNSTORABLE = List.of("x\u0000y", "x\uD800y", "x\uDC00", "\uD83D");

    @Test
    void randomUnicodeIsTheSameBytesAcknowledgedStoredLiveAndInHistory() throws Exception {
        try (Fleet fleet = new Fleet(2)) {
            Random random = new Random(SEED);
            fleet.createUser("acme", "alice");
            fleet.createUser("acme", "bob");
            long id = fleet.createGroup("acme", "alice", "unicode", "bob");
            String channel = "acme/chat/" + id;
            String aliceToken = fleet.token("alice", "acme");
            Recorder alice = fleet.connect(0, "alice", "acme");
            Recorder bob = fleet.connect(1, "bob", "acme");

            Map<Long, String> textBySeq = new HashMap<>();
            Map<Long, String> idBySeq = new HashMap<>();
            for (int i = 0; i < MESSAGES; i++) {
                String text = randomText(random, 1 + random.nextInt(40));
                String clientMsgId = i + "-" + randomText(random, 1 + random.nextInt(20));
                long seq;
                if (i % 2 == 0) {
                    byte[] payload = ESCAPED.writeValueAsBytes(ChatSystem.JSON.createObjectNode().put("text", text));
                    PublishResult ack = alice.client.publish(channel, payload, clientMsgId).get(15, TimeUnit.SECONDS);
                    seq = ack.getSeq();
                } else {
                    ObjectNode body = ChatSystem.JSON.createObjectNode().put("text", text).put("client_msg_id", clientMsgId);
                    Rest sent = fleet.rest("POST", "/v1/channels/" + id + "/messages", aliceToken, ESCAPED.writeValueAsString(body));
                    assertEquals(201, sent.status(), sent.toString());
                    assertSameText(text, sent.body().path("text").asText(), "REST acknowledgement of message " + i);
                    assertSameText(clientMsgId, sent.body().path("client_msg_id").asText(), "acknowledged client_msg_id " + i);
                    seq = sent.body().path("seq").asLong();
                }
                assertEquals(i + 1, seq, "message " + i);
                textBySeq.put(seq, text);
                idBySeq.put(seq, clientMsgId);
            }

            // Stored: the database's own copy, read with a connection of the test's own.
            try (Connection c = DriverManager.getConnection(fleet.pg.jdbcUrl());
                 PreparedStatement ps = c.prepareStatement("SELECT seq, text, client_msg_id, convert_to(text, 'UTF8')"
                         + " FROM messages WHERE channel_id = ? ORDER BY seq")) {
                ps.setLong(1, id);
                int rows = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        long seq = rs.getLong(1);
                        assertSameText(textBySeq.get(seq), rs.getString(2), "stored text of seq " + seq);
                        assertArrayEquals(textBySeq.get(seq).getBytes(StandardCharsets.UTF_8), rs.getBytes(4), "stored bytes of seq " + seq);
                        assertSameText(idBySeq.get(seq), rs.getString(3), "stored client_msg_id of seq " + seq);
                    }
                }
                assertEquals(MESSAGES, rows);
            }

            // Delivered live, to a member on the other edge (through Redis).
            List<Publication> live = new ArrayList<>();
            for (long seq = 1; seq <= MESSAGES; seq++) {
                Publication p = bob.nextPublication(Duration.ofSeconds(15));
                assertNotNull(p, "live seq " + seq);
                assertEquals(seq, p.getSeq());
                assertSameText(textBySeq.get(seq), textOf(p), "live text of seq " + seq);
                assertSameText(idBySeq.get(seq), p.getClientMsgId(), "live client_msg_id of seq " + seq);
                live.add(p);
            }

            // Returned by history: over the WebSocket (the edge reads it over REST) and over REST.
            HistoryResult page = bob.client.historyAfter(channel, 0, MESSAGES).get(15, TimeUnit.SECONDS);
            assertEquals(MESSAGES, page.getPublicationsCount());
            for (Publication h : page.getPublicationsList()) {
                assertArrayEquals(live.get((int) h.getSeq() - 1).toByteArray(), h.toByteArray(), "history of seq " + h.getSeq());
            }
            Rest rest = fleet.rest("GET", "/v1/channels/" + id + "/messages?after=0&limit=" + MESSAGES, aliceToken, null);
            assertEquals(200, rest.status());
            for (JsonNode m : rest.body().path("messages")) {
                long seq = m.path("seq").asLong();
                assertSameText(textBySeq.get(seq), m.path("text").asText(), "REST history text of seq " + seq);
                assertSameText(idBySeq.get(seq), m.path("client_msg_id").asText(), "REST history client_msg_id of seq " + seq);
            }
        }
    }

    @Test
    void unstorableTextIsRefusedOnEveryFieldInAFleet() throws Exception {
        try (Fleet fleet = new Fleet(1)) {
            refusesUnstorableText(fleet);
            try (Connection c = DriverManager.getConnection(fleet.pg.jdbcUrl());
                 ResultSet rs = c.createStatement().executeQuery("SELECT (SELECT count(*) FROM messages),"
                         + " (SELECT count(*) FROM users), (SELECT count(*) FROM channels)")) {
                rs.next();
                assertEquals(0, rs.getLong(1), "messages stored");
                assertEquals(2, rs.getLong(2), "users stored");
                assertEquals(1, rs.getLong(3), "channels stored");
            }
        }
    }

    @Test
    void unstorableTextIsRefusedOnEveryFieldInDevMode(@TempDir Path dir) throws Exception {
        try (DevChat dev = new DevChat(dir)) {
            refusesUnstorableText(dev);
        }
    }

    static void refusesUnstorableText(ChatSystem system) throws Exception {
        system.createUser("acme", "alice");
        system.createUser("acme", "bob");
        long id = system.createGroup("acme", "alice", "refusals", "bob");
        String channel = "acme/chat/" + id;
        String token = system.token("alice", "acme");
        Recorder alice = system.connect(0, "alice", "acme");
        int n = 0;
        for (String bad : UNSTORABLE) {
            n++;
            ObjectNode user = ChatSystem.JSON.createObjectNode().put("org", "acme").put("id", "u" + n).put("name", bad);
            assertInvalid(system.rest("POST", "/v1/users", null, ESCAPED.writeValueAsString(user)), "user name " + n);
            user.put("name", "ok").put("email", "a" + bad + "@x.test");
            assertInvalid(system.rest("POST", "/v1/users", null, ESCAPED.writeValueAsString(user)), "user email " + n);
            ObjectNode group = ChatSystem.JSON.createObjectNode().put("name", bad).put("type", "GROUP");
            group.putArray("members").add("bob");
            assertInvalid(system.rest("POST", "/v1/channels", token, ESCAPED.writeValueAsString(group)), "group name " + n);
            ObjectNode message = ChatSystem.JSON.createObjectNode().put("text", bad);
            assertInvalid(system.rest("POST", "/v1/channels/" + id + "/messages", token, ESCAPED.writeValueAsString(message)), "text " + n);
            message.put("text", "fine").put("client_msg_id", bad);
            assertInvalid(system.rest("POST", "/v1/channels/" + id + "/messages", token, ESCAPED.writeValueAsString(message)), "client_msg_id " + n);
            ObjectNode withAttachment = ChatSystem.JSON.createObjectNode().put("text", "fine");
            withAttachment.putArray("attachments").addObject().put("name", bad);
            if (!bad.contains("\u0000")) { // a NUL inside JSON text is stored escaped, so only the surrogates are refused
                assertInvalid(system.rest("POST", "/v1/channels/" + id + "/messages", token,
                        ESCAPED.writeValueAsString(withAttachment)), "attachment " + n);
            }
            ObjectNode device = ChatSystem.JSON.createObjectNode().put("platform", "fcm").put("token", "t" + bad);
            assertInvalid(system.rest("POST", "/v1/me/devices", token, ESCAPED.writeValueAsString(device)), "device token " + n);

            byte[] payload = ESCAPED.writeValueAsBytes(ChatSystem.JSON.createObjectNode().put("text", bad));
            assertRefused(alice, channel, payload, "ws-" + n, "WebSocket text " + n);
            if (bad.contains("\u0000")) { // protobuf strings are UTF-8, so only a NUL reaches the edge in a client_msg_id
                assertRefused(alice, channel, "{\"text\":\"fine\"}".getBytes(StandardCharsets.UTF_8), bad,
                        "WebSocket client_msg_id " + n);
            }
        }
        Rest history = system.rest("GET", "/v1/channels/" + id + "/messages", token, null);
        assertEquals(0, history.body().path("messages").size(), history.toString());
    }

    static void assertInvalid(Rest r, String what) {
        assertEquals(400, r.status(), what + ": " + r);
        assertEquals("INVALID_ARGUMENT", r.body().path("error").path("code").asText(), what + ": " + r);
    }

    static void assertRefused(Recorder client, String channel, byte[] payload, String clientMsgId, String what) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.client.publish(channel, payload, clientMsgId).get(15, TimeUnit.SECONDS), what);
        SwitchboardException refused = assertInstanceOf(SwitchboardException.class, e.getCause(), what);
        assertEquals(ErrorCode.INVALID_ARGUMENT, refused.code(), what + ": " + refused.getMessage());
    }

    static String textOf(Publication p) throws Exception {
        return ChatSystem.JSON.readTree(p.getPayload().toByteArray()).path("text").asText();
    }

    static void assertSameText(String expected, String actual, String what) {
        assertNotNull(actual, what);
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8),
                what + ": " + codePoints(actual) + " vs sent " + codePoints(expected));
        assertTrue(expected.equals(actual), what);
    }

    /** {@code length} code points: ASCII, the BMP without surrogates or NUL, astral planes, combining marks and controls. */
    static String randomText(Random random, int length) {
        StringBuilder b = new StringBuilder();
        while (b.codePointCount(0, b.length()) < length) {
            int cp = switch (random.nextInt(6)) {
                case 0 -> 0x20 + random.nextInt(0x5F);
                case 1 -> 1 + random.nextInt(0x1F); // controls, but never NUL
                case 2 -> 0x300 + random.nextInt(0x70); // combining marks
                case 3 -> 0x10000 + random.nextInt(0x10FFFF - 0x10000 + 1); // astral: surrogate pairs in UTF-16
                default -> {
                    int c = 1 + random.nextInt(0xFFFF);
                    yield Character.isSurrogate((char) c) ? 0x1F600 : c;
                }
            };
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    static String codePoints(String s) {
        return s.codePoints().mapToObj(c -> "U+" + Integer.toHexString(c)).toList().toString();
    }
}
