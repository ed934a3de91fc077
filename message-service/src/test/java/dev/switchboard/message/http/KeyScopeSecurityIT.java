package dev.switchboard.message.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.message.MessageServer;
import dev.switchboard.message.MessageServerOptions;
import dev.switchboard.message.http.RestClient.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How keys are scoped at the message-service, over real sockets on a real
 * PostgreSQL: an organisation's key acts in that organisation only, a platform
 * key anywhere, the internal credential only for users; a refusal is a 403 that
 * carries no data and changes nothing.
 */
class KeyScopeSecurityIT {
    static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    static final String ACME_KEY = "acme-backend-key-0123456789";
    static final String GLOBEX_KEY = "globex-backend-key-0123456789";
    static final String PLATFORM_KEY = "platform-key-0123456789";
    static final String INTERNAL_KEY = "internal-credential-0123456789";

    static MessageServiceFixture fixture;
    static MessageServer server;
    static RestClient rest;
    static long globexChannel;

    @BeforeAll
    static void start() throws Exception {
        ApiKeys keys = ApiKeys.parse(List.of("org:acme:" + ACME_KEY, "org:globex:" + GLOBEX_KEY, "platform:" + PLATFORM_KEY))
                .and(ApiKeys.internal(INTERNAL_KEY));
        fixture = new MessageServiceFixture(SECRET, keys);
        server = fixture.serve(o -> o);
        rest = new RestClient(server.port());
        user(ACME_KEY, "acme", "ana");
        user(GLOBEX_KEY, "globex", "gus");
        user(GLOBEX_KEY, "globex", "gia");
        Response g = call(GLOBEX_KEY, "globex", "gus", "POST", "/v1/channels", "{\"name\":\"secret-plans\",\"members\":[\"gia\"]}");
        assertEquals(201, g.status(), String.valueOf(g.body()));
        globexChannel = g.body().get("id").asLong();
        assertEquals(201, call(GLOBEX_KEY, "globex", "gus", "POST", "/v1/channels/" + globexChannel + "/messages",
                "{\"text\":\"the merger is on\",\"client_msg_id\":\"m1\"}").status());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void anOrganisationKeyCannotActAsAUserOfAnother() {
        String history = "/v1/channels/" + globexChannel + "/messages";
        assertRefused(call(ACME_KEY, "globex", "gus", "GET", history, null));
        assertRefused(call(ACME_KEY, "globex", "gus", "GET", "/v1/me/channels", null));
        assertRefused(call(ACME_KEY, "globex", "gus", "GET", "/v1/channels/" + globexChannel, null));
        assertRefused(call(ACME_KEY, "globex", "gus", "POST", history, "{\"text\":\"forged\",\"client_msg_id\":\"x1\"}"));
        assertRefused(call(ACME_KEY, "globex", "gus", "POST", "/v1/channels/" + globexChannel + "/members", "{\"user_id\":\"gia\"}"));
        assertRefused(call(ACME_KEY, "globex", "gus", "GET", "/v1/me/devices", null));

        Response page = call(GLOBEX_KEY, "globex", "gus", "GET", history, null);
        assertEquals(200, page.status());
        assertEquals(1, page.body().get("messages").size(), "the refused send stored nothing");
        assertEquals("the merger is on", page.body().get("messages").get(0).get("text").asText());
    }

    @Test
    void anOrganisationKeyActsInItsOwnOrganisation() {
        assertEquals(200, call(ACME_KEY, "acme", "ana", "GET", "/v1/me/channels", null).status());
        assertEquals(200, call(GLOBEX_KEY, "globex", "gia", "GET", "/v1/channels/" + globexChannel + "/messages", null).status());
    }

    @Test
    void anOrganisationKeyCreatesUsersInItsOrganisationOnly() {
        Response other = call(ACME_KEY, null, null, "POST", "/v1/users", "{\"org\":\"globex\",\"id\":\"mole\",\"name\":\"Mole\"}");
        assertRefused(other);
        assertRefused(call(ACME_KEY, "acme", "ana", "POST", "/v1/users", "{\"org\":\"globex\",\"id\":\"mole\",\"name\":\"Mole\"}"));
        assertEquals(201, call(ACME_KEY, null, null, "POST", "/v1/users", "{\"org\":\"acme\",\"id\":\"al\",\"name\":\"Al\"}").status());
        // The refused user was not created: globex's own key can create it.
        assertEquals(201, call(GLOBEX_KEY, null, null, "POST", "/v1/users", "{\"org\":\"globex\",\"id\":\"mole\",\"name\":\"Mole\"}").status());
    }

    @Test
    void aPlatformKeyActsInEveryOrganisation() {
        assertEquals(200, call(PLATFORM_KEY, "globex", "gus", "GET", "/v1/channels/" + globexChannel, null).status());
        assertEquals(200, call(PLATFORM_KEY, "acme", "ana", "GET", "/v1/me/channels", null).status());
        assertEquals(201, call(PLATFORM_KEY, null, null, "POST", "/v1/users", "{\"org\":\"initech\",\"id\":\"pm\",\"name\":\"PM\"}").status());
    }

    @Test
    void theInternalCredentialOnlyRelaysUsersCalls() {
        assertEquals(200, call(INTERNAL_KEY, "globex", "gus", "GET", "/v1/channels/" + globexChannel + "/messages", null).status());
        assertEquals(200, call(INTERNAL_KEY, "acme", "ana", "GET", "/v1/me/channels", null).status());
        assertRefused(call(INTERNAL_KEY, null, null, "POST", "/v1/users", "{\"org\":\"acme\",\"id\":\"ghost\",\"name\":\"G\"}"));
        // Membership rules still hold for the user it relays.
        Response notMember = call(INTERNAL_KEY, "acme", "ana", "GET", "/v1/channels/" + globexChannel + "/messages", null);
        assertTrue(notMember.status() == 403 || notMember.status() == 404, String.valueOf(notMember.body()));
    }

    @Test
    void aKeyNamingOnlyHalfOfAUserIsABadRequest() {
        Response half = call(ACME_KEY, "acme", null, "GET", "/v1/me/channels", null);
        assertEquals(400, half.status());
        assertEquals("BAD_REQUEST", half.errorCode());
    }

    private static void assertRefused(Response r) {
        assertEquals(403, r.status(), String.valueOf(r.body()));
        assertEquals("PERMISSION_DENIED", r.errorCode());
        assertNotNull(r.body());
        assertEquals(List.of("error"), List.copyOf(iterable(r.body().fieldNames())), "nothing but the error: " + r.body());
        assertFalse(r.body().toString().contains("merger"));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static void user(String key, String org, String id) {
        Response r = call(key, null, null, "POST", "/v1/users", "{\"org\":\"" + org + "\",\"id\":\"" + id + "\",\"name\":\"" + id + "\"}");
        assertEquals(201, r.status(), String.valueOf(r.body()));
    }

    static Response call(String key, String org, String user, String method, String path, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Api-Key", key);
        if (org != null) {
            headers.put(RequestAuthenticator.ACT_AS_ORG, org);
        }
        if (user != null) {
            headers.put(RequestAuthenticator.ACT_AS_USER, user);
        }
        return rest.call(method, path, headers, body);
    }
}
