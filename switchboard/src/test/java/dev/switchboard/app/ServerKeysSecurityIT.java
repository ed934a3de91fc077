package dev.switchboard.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.app.Fleet.Recorder;
import dev.switchboard.app.Fleet.Rest;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.client.internal.RecordingListener;
import dev.switchboard.client.internal.WireConnection;
import dev.switchboard.edge.EdgeServer;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.edge.chat.HttpChatBackend;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How keys are scoped, across the fleet over real sockets (PostgreSQL, Redis, a
 * message-service and an edge talking REST to it): an organisation's key reaches
 * nothing of another organisation through the edge's server API; a server-side
 * subscribe to a chat channel needs membership; a chat channel takes no raw
 * publication; the internal credential is taken by the message-service only; a
 * backend key presented by an edge in place of the internal credential relays
 * nobody outside its organisation.
 */
class ServerKeysSecurityIT {
    static Fleet fleet;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static long acmeGroup;

    @BeforeAll
    static void start() throws Exception {
        fleet = new Fleet(1);
        for (String u : List.of("ana", "ben", "cy")) {
            fleet.createUser("acme", u);
        }
        fleet.createUser("globex", "gus");
        acmeGroup = fleet.createGroup("acme", "ana", "plans", "ben");
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void anOrganisationKeyReachesNothingOfAnotherThroughTheEdge() throws Exception {
        Recorder gus = fleet.connect(0, "gus", "globex");
        gus.client.subscribe("globex/news", false, 0).get(10, TimeUnit.SECONDS);
        String data = "{\"channel\":\"globex/news\",\"data\":{\"text\":\"forged\"}}";
        assertRefused(edge("POST", "/v1/publish", Fleet.ACME_KEY, data), "PERMISSION_DENIED");
        assertRefused(edge("POST", "/v1/broadcast", Fleet.ACME_KEY,
                "{\"channels\":[\"acme/news\",\"globex/news\"],\"data\":{\"text\":\"forged\"}}"), "PERMISSION_DENIED");
        assertRefused(edge("POST", "/v1/user/publish", Fleet.ACME_KEY,
                "{\"org\":\"globex\",\"user_id\":\"gus\",\"data\":{\"text\":\"forged\"}}"), "PERMISSION_DENIED");
        assertRefused(edge("POST", "/v1/subscribe", Fleet.ACME_KEY,
                "{\"org\":\"globex\",\"user_id\":\"gus\",\"channel\":\"globex/ops\"}"), "PERMISSION_DENIED");
        assertRefused(edge("POST", "/v1/unsubscribe", Fleet.ACME_KEY,
                "{\"org\":\"globex\",\"user_id\":\"gus\",\"channel\":\"globex/news\"}"), "PERMISSION_DENIED");
        assertRefused(edge("POST", "/v1/disconnect", Fleet.ACME_KEY, "{\"org\":\"globex\",\"user_id\":\"gus\"}"), "PERMISSION_DENIED");
        assertRefused(edge("GET", "/v1/presence?channel=globex/news", Fleet.ACME_KEY, null), "PERMISSION_DENIED");
        assertRefused(edge("GET", "/v1/channels/stats?channel=globex/news", Fleet.ACME_KEY, null), "PERMISSION_DENIED");
        assertRefused(edge("GET", "/v1/stats", Fleet.ACME_KEY, null), "PERMISSION_DENIED");
        assertRefused(edge("POST", "/v1/drain", Fleet.ACME_KEY, "{\"window_ms\":0}"), "PERMISSION_DENIED");

        // globex's own key reaches gus: the first thing gus gets is this, not a forgery; gus is still connected.
        assertEquals(200, edge("POST", "/v1/publish", Fleet.GLOBEX_KEY,
                "{\"channel\":\"globex/news\",\"data\":{\"text\":\"real\"}}").status());
        Publication p = gus.next();
        assertNotNull(p);
        assertEquals("{\"text\":\"real\"}", p.getPayload().toStringUtf8());
        assertTrue(gus.disconnects.isEmpty());
        assertTrue(gus.pushes.stream().noneMatch(f -> f.hasSubscribed() && f.getSubscribed().getChannel().equals("globex/ops")));
        assertEquals(200, edge("POST", "/v1/publish", Fleet.ACME_KEY,
                "{\"channel\":\"acme/news\",\"data\":{\"text\":\"own\"}}").status(), "its own organisation it reaches");
    }

    @Test
    void aServerSubscribeToAChatChannelNeedsMembership() throws Exception {
        Recorder cy = fleet.connect(0, "cy", "acme");
        String chat = "acme/chat/" + acmeGroup;
        assertRefused(edge("POST", "/v1/subscribe", Fleet.API_KEY,
                "{\"org\":\"acme\",\"user_id\":\"cy\",\"channel\":\"" + chat + "\"}"), "NOT_A_MEMBER");
        assertRefused(edge("POST", "/v1/subscribe", Fleet.ACME_KEY,
                "{\"org\":\"acme\",\"user_id\":\"cy\",\"channel\":\"" + chat + "\"}"), "NOT_A_MEMBER");
        // The next subscription cy is told of is the ephemeral one that follows, not the chat channel.
        assertEquals(200, edge("POST", "/v1/subscribe", Fleet.ACME_KEY,
                "{\"org\":\"acme\",\"user_id\":\"cy\",\"channel\":\"acme/lobby\"}").status());
        ServerFrame told = cy.nextPush(ServerFrame.BodyCase.SUBSCRIBED);
        assertNotNull(told);
        assertEquals("acme/lobby", told.getSubscribed().getChannel());
        assertEquals(200, edge("POST", "/v1/subscribe", Fleet.ACME_KEY,
                "{\"org\":\"acme\",\"user_id\":\"ben\",\"channel\":\"" + chat + "\"}").status(), "a member may be subscribed");
        Rest none = edge("POST", "/v1/subscribe", Fleet.ACME_KEY,
                "{\"org\":\"acme\",\"user_id\":\"cy\",\"channel\":\"acme/chat/999999\"}");
        assertEquals(404, none.status(), none.toString());
    }

    @Test
    void aChatChannelTakesNoUnsequencedPublication() throws Exception {
        Recorder ben = fleet.connect(0, "ben", "acme");
        String chat = "acme/chat/" + acmeGroup;
        Rest before = fleet.rest("GET", "/v1/channels/" + acmeGroup + "/messages?limit=100", fleet.token("ben", "acme"), null);
        int stored = before.body().path("messages").size();
        assertRefused(edge("POST", "/v1/publish", Fleet.API_KEY,
                "{\"channel\":\"" + chat + "\",\"data\":{\"text\":\"unsequenced\"}}"), "SEQUENCED_CHANNEL");
        assertRefused(edge("POST", "/v1/broadcast", Fleet.API_KEY,
                "{\"channels\":[\"acme/news\",\"" + chat + "\"],\"data\":{\"text\":\"unsequenced\"}}"), "SEQUENCED_CHANNEL");

        // The way in is the message-service: stored, sequenced, delivered once.
        Rest sent = fleet.rest("POST", "/v1/channels/" + acmeGroup + "/messages", fleet.token("ana", "acme"),
                "{\"text\":\"sequenced\",\"client_msg_id\":\"seq-1\"}");
        assertEquals(201, sent.status(), sent.toString());
        long seq = sent.body().path("seq").asLong();
        Publication p = ben.next();
        assertNotNull(p);
        assertEquals(chat, p.getChannel());
        assertEquals(seq, p.getSeq(), "the first publication ben gets in the channel is the sequenced one");
        assertTrue(p.getPayload().toStringUtf8().contains("sequenced"));
        JsonNode history = fleet.rest("GET", "/v1/channels/" + acmeGroup + "/messages?limit=100", fleet.token("ben", "acme"), null)
                .body().path("messages");
        assertEquals(stored + 1, history.size());
        assertEquals(seq, history.get(0).path("seq").asLong());
    }

    @Test
    void theInternalCredentialIsTakenByTheMessageServiceOnly() throws Exception {
        assertEquals(401, edge("GET", "/v1/presence?channel=acme/news", Fleet.INTERNAL_KEY, null).status());
        assertEquals(401, edge("POST", "/v1/publish", Fleet.INTERNAL_KEY,
                "{\"channel\":\"acme/news\",\"data\":{}}").status());
        Rest relayed = messages("GET", "/v1/me/channels", Fleet.INTERNAL_KEY, "globex", "gus");
        assertEquals(200, relayed.status(), relayed.toString());
        Rest forNobody = messages("POST", "/v1/users", Fleet.INTERNAL_KEY, null, null);
        assertEquals(403, forNobody.status(), forNobody.toString());
    }

    @Test
    void aBackendKeyCannotActAsTheEdge() throws Exception {
        // An edge that presents acme's backend key where the internal credential belongs (a stolen key, a rogue node).
        TokenVerifier verifier = TokenVerifier.builder().hs256Secret(Fleet.SECRET).build();
        try (EdgeServer rogue = EdgeServer.builder(EdgeServerOptions.builder().host("127.0.0.1").port(0).apiPort(-1)
                        .ioThreads(1).nodeId("rogue").build())
                .tokenVerifier(verifier)
                .chatBackend(new HttpChatBackend(URI.create(fleet.restBase()), Fleet.ACME_KEY, Duration.ofSeconds(5)))
                .start()) {
            long group = globexGroup();
            // Its users' calls are refused at the message-service: gus cannot even connect through it.
            RecordingListener gus = new RecordingListener();
            WireConnection c = WireConnection.builder(URI.create("ws://127.0.0.1:" + rogue.port() + "/ws"), fleet.token("gus", "globex"))
                    .resources(fleet.clients).listener(gus).connect().orTimeout(10, TimeUnit.SECONDS).join();
            try {
                org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> c.hello().get(20, TimeUnit.SECONDS));
                assertNotNull(gus.disconnects.poll(20, TimeUnit.SECONDS), "the node gives up on a user it cannot act for");
            } finally {
                c.channel().close();
            }
            // The key still acts in its own organisation (so the refusal above is its scope, not a broken node).
            RecordingListener ana = new RecordingListener();
            WireConnection a = WireConnection.builder(URI.create("ws://127.0.0.1:" + rogue.port() + "/ws"), fleet.token("ana", "acme"))
                    .resources(fleet.clients).listener(ana).connect().orTimeout(10, TimeUnit.SECONDS).join();
            try {
                assertTrue(a.hello().get(20, TimeUnit.SECONDS).getChannelsList().contains("acme/chat/" + acmeGroup));
            } finally {
                a.channel().close();
            }
            assertTrue(group > 0);
        }
        Rest history = messages("GET", "/v1/channels/" + globexGroup() + "/messages", Fleet.GLOBEX_KEY, "globex", "gus");
        assertEquals(200, history.status());
        assertTrue(history.body().path("messages").findValuesAsText("text").stream().noneMatch(t -> t.contains("backend key")));
    }

    private static Long globexGroupId;

    private static synchronized long globexGroup() throws Exception {
        if (globexGroupId == null) {
            fleet.createUser("globex", "gia");
            globexGroupId = fleet.createGroup("globex", "gus", "board", "gia");
        }
        return globexGroupId;
    }

    private static void assertRefused(Rest r, String code) {
        assertTrue(r.status() == 403 || r.status() == 409, r.toString());
        assertEquals(code, r.body().path("error").path("code").asText(), r.toString());
        assertEquals(List.of("error"), fieldNames(r.body()), "nothing but the error: " + r);
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static Rest edge(String method, String path, String key, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fleet.edges.get(0).apiPort() + path)), method, key, body);
    }

    private static Rest messages(String method, String path, String key, String org, String user) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fleet.restBase() + path));
        if (org != null) {
            b.header("X-Switchboard-Org", org).header("X-Switchboard-User", user);
        }
        return send(b, method, key, method.equals("POST") ? "{\"org\":\"acme\",\"id\":\"ghost\",\"name\":\"G\"}" : null);
    }

    private static Rest send(HttpRequest.Builder b, String method, String key, String body) throws Exception {
        b.timeout(Duration.ofSeconds(20)).header("X-Api-Key", key).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Rest(res.statusCode(), res.body().isEmpty() ? ChatSystem.JSON.createObjectNode() : ChatSystem.JSON.readTree(res.body()));
    }
}
