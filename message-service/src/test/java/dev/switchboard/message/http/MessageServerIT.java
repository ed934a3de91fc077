package dev.switchboard.message.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.message.ChatServiceOptions;
import dev.switchboard.message.MessageServer;
import dev.switchboard.message.MessageServerOptions;
import dev.switchboard.message.RecordingBroker;
import dev.switchboard.message.http.RestClient.Response;
import dev.switchboard.testing.LiveThreads;
import dev.switchboard.wire.ChannelNames;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST API over real sockets, on a real PostgreSQL, publishing through a real in-memory broker. */
class MessageServerIT {
    static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    static final String API_KEY = "server-key-0123456789";
    static final TokenIssuer ISSUER = new TokenIssuer(SECRET);

    static MessageServiceFixture fixture;
    static RecordingBroker broker;
    static MessageServer server;
    static RestClient rest;

    @BeforeAll
    static void start() throws Exception {
        fixture = new MessageServiceFixture(SECRET, new ApiKeys(List.of(API_KEY)));
        broker = fixture.broker;
        server = fixture.serve(o -> o.http(MessageServerOptions.DEFAULT_HTTP.toBuilder().maxBodyBytes(64 * 1024).build())
                .chat(ChatServiceOptions.builder().maxPage(100).build()));
        rest = new RestClient(server.port());
        for (String[] u : new String[][] {{"acme", "ana"}, {"acme", "ben"}, {"acme", "cy"}, {"globex", "ana"}}) {
            Response r = server("POST", "/v1/users", "{\"org\":\"" + u[0] + "\",\"id\":\"" + u[1] + "\",\"name\":\""
                    + u[1] + "\",\"email\":\"" + u[1] + "@" + u[0] + ".test\"}");
            assertEquals(201, r.status(), String.valueOf(r.body()));
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aStartThatCannotBindClosesWhatItOpened() throws Exception {
        String[] ours = {"switchboard-messages-io", "HikariPool"};
        java.util.Set<String> before = LiveThreads.named(ours);
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            assertThrows(Exception.class, () -> fixture.start(o -> o.port(busy.getLocalPort())));
        }
        // The loops and the database pool of the failed start go; the class's server keeps its own.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(before, LiveThreads.named(ours)));
    }

    @Test
    void createsUsersWithAnApiKeyOnly() {
        Response created = server("POST", "/v1/users", "{\"org\":\"acme\",\"id\":\"dan\",\"name\":\"Dan\","
                + "\"handle\":\"dan\"}");
        assertEquals(201, created.status());
        assertEquals("dan", created.body().get("id").asText());
        assertEquals("acme", created.body().get("org").asText());
        assertError(409, ErrorCode.CONFLICT, server("POST", "/v1/users", "{\"org\":\"acme\",\"id\":\"dan\",\"name\":\"D\"}"));
        assertError(403, ErrorCode.PERMISSION_DENIED, as("acme", "ana", "POST", "/v1/users",
                "{\"org\":\"acme\",\"id\":\"eve\",\"name\":\"Eve\"}"));
        assertError(401, ErrorCode.UNAUTHORIZED, rest.call("POST", "/v1/users", Map.of(), "{}"));
        assertError(401, ErrorCode.UNAUTHORIZED, rest.call("POST", "/v1/users", Map.of("X-Api-Key", "wrong-key-0123456789"),
                "{\"org\":\"acme\",\"id\":\"eve\",\"name\":\"Eve\"}"));
        assertError(400, ErrorCode.BAD_REQUEST, server("POST", "/v1/users", "{\"org\":\"acme\",\"id\":\"bad id\",\"name\":\"x\"}"));
    }

    @Test
    void refusesMissingBadAndExpiredTokens() {
        assertError(401, ErrorCode.UNAUTHORIZED, rest.call("GET", "/v1/me/channels", Map.of(), null));
        assertError(401, ErrorCode.UNAUTHORIZED, rest.call("GET", "/v1/me/channels", RestClient.bearer("not.a.jwt"), null));
        String forged = new TokenIssuer("another-secret-of-at-least-32-bytes!").issue("ana", "acme", Duration.ofMinutes(5));
        assertError(401, ErrorCode.UNAUTHORIZED, rest.call("GET", "/v1/me/channels", RestClient.bearer(forged), null));
        String expired = new TokenIssuer(SECRET, Clock.fixed(Instant.now().minusSeconds(3600), ZoneOffset.UTC))
                .issue("ana", "acme", Duration.ofMinutes(1));
        assertError(401, ErrorCode.TOKEN_EXPIRED, rest.call("GET", "/v1/me/channels", RestClient.bearer(expired), null));
    }

    @Test
    void groupMembersJoinSetFlagsAndLeave() {
        long id = group("ana", "plans", "ben");
        broker.subscribe(ChannelNames.personal("acme", "cy"));
        Response added = as("acme", "ana", "POST", "/v1/channels/" + id + "/members", "{\"user_id\":\"cy\"}");
        assertEquals(201, added.status(), String.valueOf(added.body()));
        assertError(409, ErrorCode.CONFLICT, as("acme", "ana", "POST", "/v1/channels/" + id + "/members",
                "{\"user_id\":\"cy\"}"));

        Response flags = as("acme", "cy", "PATCH", "/v1/channels/" + id + "/membership",
                "{\"muted\":true,\"starred\":true}");
        assertEquals(200, flags.status());
        assertTrue(flags.body().get("muted").asBoolean());
        assertFalse(flags.body().get("notify_always").asBoolean());
        JsonNode mine = findChannel(as("acme", "cy", "GET", "/v1/me/channels", null).body().get("groups"), id);
        assertTrue(mine.get("muted").asBoolean());
        assertTrue(mine.get("starred").asBoolean());
        assertEquals("GROUP", mine.get("type").asText());
        JsonNode bare = findChannel(as("acme", "cy", "GET", "/v1/me/channels?counts=false", null).body().get("groups"), id);
        assertEquals(mine.get("last_seq"), bare.get("last_seq"), "what an edge reads at connect: " + bare);
        assertEquals(mine.get("realtime_channel"), bare.get("realtime_channel"));
        assertFalse(bare.has("unread_count") || bare.has("muted"), "nothing counted, no settings: " + bare);

        Response removed = as("acme", "ana", "DELETE", "/v1/channels/" + id + "/members/cy", null);
        assertEquals(204, removed.status());
        assertError(403, ErrorCode.PERMISSION_DENIED, as("acme", "cy", "GET", "/v1/channels/" + id + "/messages", null));

        List<ServerFrame> events = broker.on(ChannelNames.personal("acme", "cy")).stream()
                .map(RecordingBroker.Delivery::frame).toList();
        String realtime = ChannelNames.chat("acme", id);
        assertTrue(events.stream().anyMatch(f -> f.hasSubscribed() && f.getSubscribed().getChannel().equals(realtime)));
        assertTrue(events.stream().anyMatch(f -> f.hasUnsubscribed()
                && f.getUnsubscribed().getChannel().equals(realtime)
                && f.getUnsubscribed().getCode() == ErrorCode.PERMISSION_DENIED.code()));
    }

    @Test
    void dmOfAPairIsOneChannelInEitherOrder() {
        Response first = as("acme", "cy", "POST", "/v1/dms", "{\"user_id\":\"ben\"}");
        assertEquals(201, first.status(), String.valueOf(first.body()));
        Response again = as("acme", "ben", "POST", "/v1/dms", "{\"user_id\":\"cy\"}");
        assertEquals(200, again.status());
        assertEquals(first.body().get("id").asLong(), again.body().get("id").asLong());
        assertEquals("DM", again.body().get("type").asText());
        JsonNode dms = as("acme", "ben", "GET", "/v1/me/channels", null).body().get("dms");
        assertEquals(first.body().get("id").asLong(), findChannel(dms, first.body().get("id").asLong()).get("id").asLong());
        assertError(404, ErrorCode.NOT_FOUND, as("acme", "cy", "POST", "/v1/dms", "{\"user_id\":\"ghost\"}"));
        assertError(409, ErrorCode.CONFLICT, as("acme", "cy", "POST",
                "/v1/channels/" + first.body().get("id").asLong() + "/members", "{\"user_id\":\"ana\"}"));
    }

    @Test
    void sendIsAcknowledgedWithSeqAndARetryStoresNothingNew() {
        long id = group("ana", "retries", "ben");
        String realtime = ChannelNames.chat("acme", id);
        broker.subscribe(realtime);
        Response sent = send("ana", id, "{\"text\":\"hello\",\"client_msg_id\":\"k-1\"}");
        assertEquals(201, sent.status(), String.valueOf(sent.body()));
        assertEquals(1, sent.body().get("seq").asLong());
        assertTrue(sent.body().get("id").asLong() > 0);
        Instant.parse(sent.body().get("created_at").asText());

        Response retry = send("ana", id, "{\"text\":\"hello\",\"client_msg_id\":\"k-1\"}");
        assertEquals(200, retry.status());
        assertEquals(sent.body(), retry.body());
        assertEquals(1, history("ben", id, "").get("messages").size());
        assertEquals(1, broker.on(realtime).size(), "a retry publishes nothing");
    }

    @Test
    void publishesInSequenceOrderWithTheFrameBytes() {
        long id = group("ana", "burst", "ben");
        String realtime = ChannelNames.chat("acme", id);
        broker.subscribe(realtime);
        List<CompletableFuture<Response>> sends = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String who = i % 2 == 0 ? "ana" : "ben";
            sends.add(rest.callAsync("POST", "/v1/channels/" + id + "/messages", token("acme", who),
                    "{\"text\":\"m" + i + "\",\"client_msg_id\":\"c" + i + "\"}"));
        }
        List<JsonNode> acks = sends.stream().map(CompletableFuture::join).peek(r -> assertEquals(201, r.status()))
                .map(Response::body).toList();

        List<RecordingBroker.Delivery> delivered = broker.on(realtime);
        assertEquals(LongStream.rangeClosed(1, 40).boxed().toList(),
                delivered.stream().map(d -> d.frame().getPublication().getSeq()).toList());

        JsonNode ack = acks.stream().filter(a -> a.get("seq").asLong() == 7).findFirst().orElseThrow();
        Publication expected = Publication.newBuilder()
                .setChannel(realtime)
                .setSeq(7)
                .setSenderId(ack.get("sender").asText())
                .setTimestampMs(Instant.parse(ack.get("created_at").asText()).toEpochMilli())
                .setPayload(com.google.protobuf.ByteString.copyFrom(payloadOf(ack)))
                .setMessageId(ack.get("id").asLong())
                .setClientMsgId(ack.get("client_msg_id").asText())
                .build();
        assertArrayEquals(ServerFrame.newBuilder().setPublication(expected).build().toByteArray(),
                delivered.get(6).bytes());
    }

    @Test
    void pagesBackOverEveryMessageExactlyOnce() {
        long id = group("ana", "paging");
        for (int i = 1; i <= 120; i++) {
            assertEquals(201, send("ana", id, "{\"text\":\"m" + i + "\"}").status());
        }
        List<Long> seen = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        while (true) {
            JsonNode page = history("ana", id, "?limit=50" + cursor);
            page.get("messages").forEach(m -> seen.add(m.get("seq").asLong()));
            pages++;
            if (page.get("next_cursor").isNull()) {
                break;
            }
            cursor = "&before=" + page.get("next_cursor").asLong();
        }
        assertEquals(3, pages);
        assertEquals(LongStream.iterate(120, s -> s >= 1, s -> s - 1).boxed().toList(), seen);

        JsonNode after = history("ana", id, "?after=100&limit=50");
        assertEquals(LongStream.rangeClosed(101, 120).boxed().toList(), seqs(after));
        assertTrue(after.get("next_cursor").isNull());
        JsonNode capped = history("ana", id, "?limit=100000");
        assertEquals(100, capped.get("messages").size(), "the limit is capped");
        assertEquals(21, capped.get("next_cursor").asLong());
        assertEquals("m120", history("ana", id, "?limit=1").get("messages").get(0).get("text").asText());
    }

    @Test
    void readCheckpointNeverMovesBackwardsAndDrivesUnreadCounts() {
        long id = group("ana", "reading", "ben");
        for (int i = 0; i < 5; i++) {
            send("ana", id, "{\"text\":\"m" + i + "\"}");
        }
        assertEquals(5, findChannel(as("acme", "ben", "GET", "/v1/me/channels", null).body().get("groups"), id)
                .get("unread_count").asLong());
        Response read = as("acme", "ben", "PUT", "/v1/channels/" + id + "/read", "{\"seq\":4}");
        assertEquals(4, read.body().get("last_read_seq").asLong());
        assertEquals(4, as("acme", "ben", "PUT", "/v1/channels/" + id + "/read", "{\"seq\":2}")
                .body().get("last_read_seq").asLong());
        JsonNode summary = findChannel(as("acme", "ben", "GET", "/v1/me/channels", null).body().get("groups"), id);
        assertEquals(1, summary.get("unread_count").asLong());
        assertEquals(2.0, summary.get("affinity_score").asDouble(), 0.01, "two reads, each worth 1, seconds old");
        assertEquals(5, summary.get("last_seq").asLong());
        assertError(400, ErrorCode.BAD_REQUEST, as("acme", "ben", "PUT", "/v1/channels/" + id + "/read", "{\"seq\":\"x\"}"));
    }

    @Test
    void nonMembersGet403AndOtherOrganisations404() {
        long id = group("ana", "private");
        String path = "/v1/channels/" + id + "/messages";
        assertError(403, ErrorCode.PERMISSION_DENIED, as("acme", "cy", "GET", path, null));
        assertError(403, ErrorCode.PERMISSION_DENIED, as("acme", "cy", "POST", path, "{\"text\":\"hi\"}"));
        assertError(404, ErrorCode.NOT_FOUND, as("globex", "ana", "GET", path, null));
        assertError(404, ErrorCode.NOT_FOUND, as("globex", "ana", "POST", path, "{\"text\":\"hi\"}"));
        assertError(404, ErrorCode.NOT_FOUND, as("globex", "ana", "GET", "/v1/channels/" + id, null));
        assertError(404, ErrorCode.NOT_FOUND, as("acme", "ana", "GET", "/v1/channels/99999999/messages", null));
    }

    @Test
    void refusesBadInput() {
        long id = group("ana", "input");
        String path = "/v1/channels/" + id + "/messages";
        assertError(400, ErrorCode.BAD_REQUEST, as("acme", "ana", "POST", path, "{not json"));
        assertError(400, ErrorCode.BAD_REQUEST, as("acme", "ana", "POST", path, "{\"text\":\"\"}"));
        assertError(400, ErrorCode.BAD_REQUEST, as("acme", "ana", "POST", path, "{\"text\":\"x\",\"attachments\":{}}"));
        assertError(400, ErrorCode.BAD_REQUEST, as("acme", "ana", "GET", path + "?limit=abc", null));
        assertError(400, ErrorCode.BAD_REQUEST, as("acme", "ana", "GET", path + "?before=3&after=1", null));
        assertError(400, ErrorCode.BAD_REQUEST, as("acme", "ana", "GET", "/v1/channels/abc/messages", null));
        assertError(400, ErrorCode.BAD_REQUEST, as("acme", "ana", "POST", "/v1/channels", "{\"name\":\"x\",\"type\":\"DM\"}"));
        assertError(400, ErrorCode.BAD_REQUEST, as("acme", "ana", "PATCH", "/v1/channels/" + id + "/membership", "{}"));
        Response wrongMethod = as("acme", "ana", "DELETE", path, null);
        assertEquals(405, wrongMethod.status());
        Response unknown = as("acme", "ana", "GET", "/v1/nothing-here", null);
        assertError(404, ErrorCode.NOT_FOUND, unknown);
    }

    @Test
    void refusesAnOversizedBodyWith413() {
        long id = group("ana", "big");
        String huge = "{\"text\":\"" + "x".repeat(100 * 1024) + "\"}";
        assertError(413, ErrorCode.PAYLOAD_TOO_LARGE, as("acme", "ana", "POST", "/v1/channels/" + id + "/messages", huge));
        assertEquals(201, send("ana", id, "{\"text\":\"still fine\"}").status());
    }

    @Test
    void trustedServerActsForAUser() {
        long id = group("ana", "relay", "ben");
        Map<String, String> headers = Map.of("X-Api-Key", API_KEY, "X-Switchboard-User", "ben",
                "X-Switchboard-Org", "acme");
        Response sent = rest.call("POST", "/v1/channels/" + id + "/messages", headers, "{\"text\":\"relayed\"}");
        assertEquals(201, sent.status(), String.valueOf(sent.body()));
        assertEquals("ben", sent.body().get("sender").asText());
        assertError(400, ErrorCode.BAD_REQUEST, rest.call("POST", "/v1/channels/" + id + "/messages",
                Map.of("X-Api-Key", API_KEY), "{\"text\":\"for nobody\"}"));
        Response channel = rest.call("GET", "/v1/channels/" + id, headers, null);
        assertEquals(List.of("ana", "ben"), RestClient.JSON.convertValue(channel.body().get("members"), List.class));
    }

    // ------------------------------------------------------------------ helpers

    static byte[] payloadOf(JsonNode ack) {
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        p.put("id", ack.get("id").asLong());
        p.put("seq", ack.get("seq").asLong());
        p.put("text", ack.get("text").asText());
        p.put("sender", ack.get("sender").asText());
        p.put("created_at", ack.get("created_at").asText());
        p.put("attachments", null);
        try {
            return RestClient.JSON.writeValueAsString(p).getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static long group(String creator, String name, String... members) {
        StringBuilder m = new StringBuilder();
        for (String s : members) {
            m.append(m.isEmpty() ? "" : ",").append('"').append(s).append('"');
        }
        Response r = as("acme", creator, "POST", "/v1/channels",
                "{\"name\":\"" + name + "\",\"type\":\"GROUP\",\"members\":[" + m + "]}");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asLong();
    }

    static Response send(String user, long channel, String body) {
        return as("acme", user, "POST", "/v1/channels/" + channel + "/messages", body);
    }

    static JsonNode history(String user, long channel, String query) {
        Response r = as("acme", user, "GET", "/v1/channels/" + channel + "/messages" + query, null);
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body();
    }

    static List<Long> seqs(JsonNode page) {
        List<Long> out = new ArrayList<>();
        page.get("messages").forEach(m -> out.add(m.get("seq").asLong()));
        return out;
    }

    static JsonNode findChannel(JsonNode list, long id) {
        for (JsonNode c : list) {
            if (c.get("id").asLong() == id) {
                return c;
            }
        }
        throw new AssertionError("channel " + id + " not in " + list);
    }

    static Map<String, String> token(String org, String user) {
        return RestClient.bearer(ISSUER.issue(user, org, Duration.ofMinutes(5)));
    }

    static Response as(String org, String user, String method, String path, String body) {
        return rest.call(method, path, token(org, user), body);
    }

    static Response server(String method, String path, String body) {
        return rest.call(method, path, new HashMap<>(Map.of("X-Api-Key", API_KEY)), body);
    }

    static void assertError(int status, ErrorCode code, Response r) {
        assertEquals(status, r.status(), String.valueOf(r.body()));
        assertEquals(code.name(), r.errorCode(), String.valueOf(r.body()));
        assertFalse(r.body().path("error").path("message").asText().isEmpty());
    }
}
