package dev.switchboard.message.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.message.MessageServer;
import dev.switchboard.message.MessageServerOptions;
import dev.switchboard.message.RecordingBroker;
import dev.switchboard.message.http.RestClient.Response;
import dev.switchboard.message.presence.InMemoryOnlineUsers;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.testing.PostgresDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/channels/{id}/members}: users with presence and "last seen", on PostgreSQL. */
class ChannelMembersIT {
    static final String SECRET = "members-it-secret-members-it-secret";
    static final String API_KEY = "members-it-api-key-0001";
    static final TokenIssuer ISSUER = new TokenIssuer(SECRET);
    static final Instant SEEN = Instant.parse("2026-12-02T09:30:00Z");

    static PostgresDatabase pg;
    static RecordingBroker broker;
    static InMemoryOnlineUsers online;
    static MessageServer server;
    static RestClient rest;

    @BeforeAll
    static void start() throws Exception {
        pg = new PostgresDatabase();
        broker = new RecordingBroker();
        online = new InMemoryOnlineUsers(Clock.fixed(SEEN, ZoneOffset.UTC));
        server = MessageServer.start(MessageServerOptions.builder().host("127.0.0.1").port(0)
                        .database(DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).poolSize(4).build()).build(),
                broker.broker(), online, TokenVerifier.builder().hs256Secret(SECRET).build(),
                new ApiKeys(List.of(API_KEY)), new SimpleMeterRegistry());
        rest = new RestClient(server.port());
        for (String u : List.of("ana", "ben", "cy")) {
            Response r = rest.call("POST", "/v1/users", Map.of("X-Api-Key", API_KEY), "{\"org\":\"acme\",\"id\":\"" + u
                    + "\",\"name\":\"" + u.toUpperCase() + "\",\"handle\":\"" + u + "_h\",\"email\":\"" + u + "@acme.test\"}");
            assertEquals(201, r.status(), String.valueOf(r.body()));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        broker.close();
        pg.close();
    }

    @Test
    void membersSayWhoIsOnlineAndWhenTheOthersWereLastSeen() {
        long id = as("ana", "POST", "/v1/channels", "{\"name\":\"crew\",\"members\":[\"ben\",\"cy\"]}").body()
                .get("id").asLong();
        online.markOnline("acme", "ana", "edge-1/s-1");
        online.markOnline("acme", "ben", "edge-1/s-2");
        online.markOffline("acme", "ben", "edge-1/s-2"); // ben was here at SEEN; cy never was

        Response r = as("cy", "GET", "/v1/channels/" + id + "/members", null);
        assertEquals(200, r.status(), String.valueOf(r.body()));
        JsonNode members = r.body().get("members");
        assertEquals(3, members.size());
        JsonNode ana = members.get(0);
        JsonNode ben = members.get(1);
        JsonNode cy = members.get(2);
        assertEquals("ana", ana.get("id").asText());
        assertEquals("ana_h", ana.get("handle").asText());
        assertEquals("ANA", ana.get("name").asText());
        assertTrue(ana.get("online").asBoolean());
        assertNull(ana.get("last_seen_at"), "an online member has no last seen");
        assertFalse(ana.has("email"), "members do not see each other's addresses");
        assertFalse(ben.get("online").asBoolean());
        assertEquals(SEEN.toString(), ben.get("last_seen_at").asText());
        assertFalse(cy.get("online").asBoolean());
        assertNull(cy.get("last_seen_at"), "never seen going offline");

        online.markOnline("acme", "ben", "edge-2/s-3");
        JsonNode again = as("cy", "GET", "/v1/channels/" + id + "/members", null).body().get("members").get(1);
        assertTrue(again.get("online").asBoolean());
        assertNull(again.get("last_seen_at"), "back online: the old time is not shown");
    }

    @Test
    void onlyMembersListMembers() {
        long id = as("ana", "POST", "/v1/channels", "{\"name\":\"private\",\"members\":[]}").body().get("id").asLong();
        assertEquals(403, as("ben", "GET", "/v1/channels/" + id + "/members", null).status());
        Response other = rest.call("GET", "/v1/channels/" + id + "/members",
                RestClient.bearer(ISSUER.issue("ana", "globex", Duration.ofMinutes(5))), null);
        assertEquals(404, other.status());
    }

    private static Response as(String user, String method, String path, String body) {
        return rest.call(method, path, RestClient.bearer(ISSUER.issue(user, "acme", Duration.ofMinutes(5))), body);
    }
}
