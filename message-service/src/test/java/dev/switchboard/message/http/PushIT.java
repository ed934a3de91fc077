package dev.switchboard.message.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.switchboard.message.push.PushOptions;
import dev.switchboard.message.push.WebhookReceiver;
import dev.switchboard.message.push.WebhookReceiver.Received;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.testing.PostgresDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Offline push end to end: REST sends on a real PostgreSQL, presence in memory,
 * notifications POSTed to a real HTTP webhook receiver. The receiver fails
 * every token starting with "fail-", to see retries and dead letters.
 */
class PushIT {
    static final String SECRET = "0123456789abcdef0123456789abcdef-push";
    static final String API_KEY = "server-key-push-0123456789";
    static final String WEBHOOK_TOKEN = "gateway-secret";
    static final TokenIssuer ISSUER = new TokenIssuer(SECRET);
    static final int MAX_ATTEMPTS = 3;

    static PostgresDatabase pg;
    static RecordingBroker broker;
    static WebhookReceiver webhook;
    static InMemoryOnlineUsers online;
    static SimpleMeterRegistry registry;
    static MessageServer server;
    static RestClient rest;

    @BeforeAll
    static void start() throws Exception {
        pg = new PostgresDatabase();
        broker = new RecordingBroker();
        webhook = new WebhookReceiver(body -> body.get("token").asText().startsWith("fail-") ? 503 : 202);
        online = new InMemoryOnlineUsers();
        registry = new SimpleMeterRegistry();
        PushOptions push = PushOptions.builder().webhookUrl(webhook.url()).webhookToken(WEBHOOK_TOKEN)
                .maxAttempts(MAX_ATTEMPTS).initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(5)).build();
        server = MessageServer.start(MessageServerOptions.builder().host("127.0.0.1").port(0).push(push)
                        .database(DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).poolSize(4).build()).build(),
                broker.broker(), online, TokenVerifier.builder().hs256Secret(SECRET).build(),
                new ApiKeys(List.of(API_KEY)), registry);
        rest = new RestClient(server.port());
        for (String u : List.of("ana", "ben", "cy", "dan", "eve", "fay", "gus")) {
            Response r = rest.call("POST", "/v1/users", Map.of("X-Api-Key", API_KEY),
                    "{\"org\":\"acme\",\"id\":\"" + u + "\",\"name\":\"" + u.toUpperCase() + "\"}");
            assertEquals(201, r.status(), String.valueOf(r.body()));
        }
        device("ana", "apns", "ana-phone");
        device("ben", "apns", "ben-phone");
        device("ben", "fcm", "ben-tablet");
        device("cy", "fcm", "cy-phone");
        device("dan", "apns", "dan-phone");
        device("eve", "fcm", "eve-phone");
        device("gus", "apns", "fail-gus");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        webhook.close();
        broker.close();
        pg.close();
    }

    @Test
    void offlineUnmutedMemberGetsExactlyOnePushPerMessagePerDevice() {
        long g = group("ana", "launch", "ben");
        List<Long> ids = sendAll("ana", g, "liftoff", "stage two", "orbit");

        List<Received> phone = webhook.forToken("ben-phone");
        List<Received> tablet = webhook.forToken("ben-tablet");
        // Exactly one push per message per device; the gateway may receive them in any order (sent in parallel).
        assertEquals(sorted(ids), sorted(messageIds(phone, g)));
        assertEquals(sorted(ids), sorted(messageIds(tablet, g)));
        assertEquals(List.of(), messageIds(webhook.forToken("ana-phone"), g), "the sender gets no push");

        // The last message's push on each device, found by its sequence (they arrive in any order).
        Received toPhone = phone.stream().filter(r -> r.body().at("/payload/seq").asLong() == 3).findFirst().orElseThrow();
        JsonNode apns = toPhone.body();
        assertEquals("apns", apns.get("platform").asText());
        assertEquals("launch", apns.at("/payload/aps/alert/title").asText());
        assertEquals("orbit", apns.at("/payload/aps/alert/body").asText());
        assertEquals("Bearer " + WEBHOOK_TOKEN, toPhone.authorization());
        JsonNode fcm = tablet.stream().filter(r -> r.body().at("/payload/data/seq").asText().equals("3")).findFirst()
                .orElseThrow().body();
        assertEquals("fcm", fcm.get("platform").asText());
        assertEquals("launch", fcm.at("/payload/notification/title").asText());
        assertEquals(Long.toString(g), fcm.at("/payload/data/channel_id").asText());
    }

    @Test
    void mutedMemberGetsNoPushAndNotifyAlwaysOverridesMute() {
        long g = group("ana", "noisy", "cy", "dan");
        flags("cy", g, "{\"muted\":true}");
        flags("dan", g, "{\"muted\":true,\"notify_always\":true}");
        List<Long> ids = sendAll("ana", g, "one", "two");

        assertEquals(List.of(), messageIds(webhook.forToken("cy-phone"), g));
        assertEquals(sorted(ids), sorted(messageIds(webhook.forToken("dan-phone"), g)));
    }

    @Test
    void aMentionReachesAMutedMemberAndSaysWhoMentionedThem() {
        long g = group("ana", "triage", "ben", "cy");
        flags("cy", g, "{\"muted\":true}");
        double before = registry.counter("switchboard.push.messages").count();
        Response sent = as("ana", "POST", "/v1/channels/" + g + "/messages", "{\"text\":\"look here\",\"mentions\":[\"cy\"]}");
        assertEquals(201, sent.status(), String.valueOf(sent.body()));
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.counter("switchboard.push.messages").count() >= before + 1);

        List<Received> cy = webhook.forToken("cy-phone").stream().filter(r -> channelOf(r.body()) == g).toList();
        assertEquals(1, cy.size(), "muted, but mentioned");
        assertEquals("triage", cy.getFirst().body().at("/payload/notification/title").asText());
        assertEquals("ANA mentioned you: look here", cy.getFirst().body().at("/payload/notification/body").asText());
        assertEquals("true", cy.getFirst().body().at("/payload/data/mention").asText());
        List<Received> ben = webhook.forToken("ben-phone").stream().filter(r -> channelOf(r.body()) == g).toList();
        assertEquals("look here", ben.getFirst().body().at("/payload/aps/alert/body").asText(), "not mentioned: the text");
        assertTrue(ben.getFirst().body().at("/payload/mention").isMissingNode());
    }

    @Test
    void onlineMemberGetsNoneAndOneOnceOffline() {
        long dm = dm("ana", "eve");
        online.markOnline("acme", "eve", "edge-1/s-1");
        online.markOnline("acme", "eve", "edge-2/s-9");
        sendAll("ana", dm, "are you there?");
        online.markOffline("acme", "eve", "edge-1/s-1");
        sendAll("ana", dm, "still one session");
        assertEquals(List.of(), messageIds(webhook.forToken("eve-phone"), dm));

        online.markOffline("acme", "eve", "edge-2/s-9");
        List<Long> ids = sendAll("ana", dm, "call me");
        List<Received> got = webhook.forToken("eve-phone");
        assertEquals(sorted(ids), sorted(messageIds(got, dm)));
        assertEquals("ANA", got.getFirst().body().at("/payload/notification/title").asText(), "a DM is titled by its sender");
    }

    @Test
    void failingWebhookIsRetriedWithBackoffThenDeadLettered() {
        long g = group("ana", "flaky", "gus");
        double deadBefore = registry.counter("switchboard.push.dead_letters").count();
        sendAll("ana", g, "will not arrive");
        await().atMost(Duration.ofSeconds(10)).until(
                () -> registry.counter("switchboard.push.dead_letters").count() == deadBefore + 1);

        List<Received> attempts = webhook.forToken("fail-gus");
        assertEquals(MAX_ATTEMPTS, attempts.size());
        long firstGap = Duration.ofNanos(attempts.get(1).atNanos() - attempts.get(0).atNanos()).toMillis();
        long secondGap = Duration.ofNanos(attempts.get(2).atNanos() - attempts.get(1).atNanos()).toMillis();
        assertTrue(firstGap >= 95, "first backoff " + firstGap + " ms, expected 100");
        assertTrue(secondGap >= 195, "second backoff " + secondGap + " ms, expected 200 (doubled)");
        assertTrue(registry.counter("switchboard.push.retries").count() >= MAX_ATTEMPTS - 1);
    }

    @Test
    void devicesRegisterIdempotentlyAndStopPushesWhenRemoved() {
        assertEquals(201, as("fay", "POST", "/v1/me/devices", "{\"platform\":\"fcm\",\"token\":\"fay-1\"}").status());
        Response again = as("fay", "POST", "/v1/me/devices", "{\"platform\":\"fcm\",\"token\":\"fay-1\"}");
        assertEquals(200, again.status());
        assertEquals("fay-1", again.body().get("token").asText());
        assertEquals(1, as("fay", "GET", "/v1/me/devices", null).body().get("devices").size());
        assertEquals(400, as("fay", "POST", "/v1/me/devices", "{\"platform\":\"sms\",\"token\":\"x\"}").status());

        long g = group("ana", "departures", "fay");
        List<Long> first = sendAll("ana", g, "before");
        assertEquals(204, as("fay", "DELETE", "/v1/me/devices/fay-1", null).status());
        assertEquals(204, as("fay", "DELETE", "/v1/me/devices/fay-1", null).status());
        sendAll("ana", g, "after");
        assertEquals(first, messageIds(webhook.forToken("fay-1"), g));
    }

    /** Sends each text, waits until every push of these messages has settled, and returns their ids. */
    static List<Long> sendAll(String sender, long channel, String... texts) {
        double before = registry.counter("switchboard.push.messages").count();
        List<Long> ids = new java.util.ArrayList<>();
        for (String t : texts) {
            Response r = as(sender, "POST", "/v1/channels/" + channel + "/messages", "{\"text\":\"" + t + "\"}");
            assertEquals(201, r.status(), String.valueOf(r.body()));
            ids.add(r.body().get("id").asLong());
        }
        // Fan-outs run on one push worker in publish order; each counts once all its notifications settled.
        await().atMost(Duration.ofSeconds(10)).until(
                () -> registry.counter("switchboard.push.messages").count() >= before + texts.length);
        return ids;
    }

    static List<Long> messageIds(List<Received> got, long channel) {
        return got.stream().filter(r -> channelOf(r.body()) == channel).map(r -> messageIdOf(r.body())).toList();
    }

    static long channelOf(JsonNode b) {
        JsonNode p = b.get("payload");
        return p.has("aps") ? p.get("channel_id").asLong() : Long.parseLong(p.at("/data/channel_id").asText());
    }

    static long messageIdOf(JsonNode b) {
        JsonNode p = b.get("payload");
        return p.has("aps") ? p.get("message_id").asLong() : Long.parseLong(p.at("/data/message_id").asText());
    }

    static void device(String user, String platform, String token) {
        Response r = as(user, "POST", "/v1/me/devices", "{\"platform\":\"" + platform + "\",\"token\":\"" + token + "\"}");
        assertEquals(201, r.status(), String.valueOf(r.body()));
    }

    static long group(String creator, String name, String... members) {
        String list = java.util.Arrays.stream(members).map(m -> "\"" + m + "\"").collect(Collectors.joining(","));
        Response r = as(creator, "POST", "/v1/channels", "{\"name\":\"" + name + "\",\"type\":\"GROUP\",\"members\":[" + list + "]}");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asLong();
    }

    static long dm(String a, String b) {
        Response r = as(a, "POST", "/v1/dms", "{\"user_id\":\"" + b + "\"}");
        assertTrue(Set.of(200, 201).contains(r.status()), String.valueOf(r.body()));
        return r.body().get("id").asLong();
    }

    static void flags(String user, long channel, String body) {
        assertEquals(200, as(user, "PATCH", "/v1/channels/" + channel + "/membership", body).status());
    }

    static Response as(String user, String method, String path, String body) {
        return rest.call(method, path, RestClient.bearer(ISSUER.issue(user, "acme", Duration.ofMinutes(5))), body);
    }

    private static List<Long> sorted(List<Long> ids) {
        return ids.stream().sorted().toList();
    }
}
