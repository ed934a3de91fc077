package dev.switchboard.message.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.message.MessageServer;
import dev.switchboard.message.MessageServerOptions;
import dev.switchboard.message.media.MediaOptions;
import dev.switchboard.testing.HttpAttacks;
import dev.switchboard.testing.RawHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The message-service's REST port attacked over real sockets (issue 15 item 3,
 * ADR 0009): a body without credentials is refused before it is read, a
 * trickled head is cut after the header timeout, pipelined requests are answered
 * in order, connections past the limit get 503, and four readers that stop
 * reading media downloads do not stall anyone else's upload or download.
 */
class MessageServiceHttpSecurityIT {
    static final String SECRET = "0123456789abcdef0123456789abcdef-security";
    static final String API_KEY = "server-key-security-0123456789";
    static final TokenIssuer ISSUER = new TokenIssuer(SECRET);
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);
    static final int MEDIA_LIMIT = 32 * 1024 * 1024;

    @TempDir
    static Path dir;
    static MessageServiceFixture fixture;
    static MessageServer server;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        fixture = new MessageServiceFixture(SECRET, new ApiKeys(List.of(API_KEY)));
        server = fixture.serve(o -> withMedia(o).http(MessageServerOptions.DEFAULT_HTTP.toBuilder().headerTimeout(HEADER_TIMEOUT)
                .idleTimeout(Duration.ofMinutes(2)).build()));
        for (String u : List.of("ana", "ben")) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v1/users")).header("X-Api-Key", API_KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"org\":\"acme\",\"id\":\"" + u + "\",\"name\":\"" + u + "\"}")));
            assertEquals(201, r.statusCode(), r.body());
        }
    }

    static MessageServerOptions.Builder withMedia(MessageServerOptions.Builder o) {
        return o.media(MediaOptions.builder().store(MediaOptions.Store.FILESYSTEM).directory(dir.resolve("media"))
                .maxBytes(MEDIA_LIMIT).build());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aTenMebibyteBodyWithoutCredentialsGets401UnreadOnEveryKindOfRoute() {
        HttpAttacks.assertBodyWithoutCredentialsIsRefusedUnread(server.port(), "POST /v1/channels/1/messages HTTP/1.1");
        HttpAttacks.assertBodyWithoutCredentialsIsRefusedUnread(server.port(), "POST /v1/media HTTP/1.1");
        HttpAttacks.assertBodyWithoutCredentialsIsRefusedUnread(server.port(), "PUT /v1/channels/1/read HTTP/1.1");
    }

    @Test
    void aTrickledHeadIsCutAfterTheHeaderTimeout() throws InterruptedException {
        HttpAttacks.assertSlowHeadersAreCut(server.port(), "/v1/me/channels", HEADER_TIMEOUT);
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderSent() {
        String token = ISSUER.issue("ana", "acme", Duration.ofMinutes(5));
        String body = "{\"name\":\"pipelined\",\"type\":\"GROUP\"}";
        HttpAttacks.assertPipelinedRequestsAreAnsweredInOrder(server.port(), List.of(
                "POST /v1/channels HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body,
                "GET /no/such/thing HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /v1/me/channels HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), List.of(201, 404, 401, 200));
    }

    @Test
    void connectionsPastTheLimitGet503() throws InterruptedException {
        try (MessageServer limited = fixture.start(o -> withMedia(o).http(MessageServerOptions.DEFAULT_HTTP.toBuilder().maxConnections(4).build()))) {
            HttpAttacks.assertConnectionsPastTheLimitAreRefused(limited.port(), 4, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        }
    }

    @Test
    void fourReadersThatStopReadingDoNotStallOtherUploadsAndDownloads() throws Exception {
        byte[] big = new byte[24 * 1024 * 1024];
        new Random(15).nextBytes(big);
        long bigId = upload("ana", big);
        String token = ISSUER.issue("ana", "acme", Duration.ofMinutes(5));
        List<RawHttp> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                RawHttp r = RawHttp.connect("127.0.0.1", server.port(), 4096);
                stalled.add(r);
                r.send("GET /v1/media/" + bigId + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n");
                assertEquals(200, r.readHead().status());
                // ... and read no more of the 24 MiB.
            }
            byte[] small = new byte[300 * 1024];
            new Random(16).nextBytes(small);
            long smallId = upload("ana", small);
            HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(uri("/v1/media/" + smallId))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, got.statusCode());
            assertArrayEquals(small, got.body());
            HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(uri("/v1/media/" + bigId))
                    .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertArrayEquals(big, whole.body(), "a fifth reader of the same media gets all of it");
        } finally {
            stalled.forEach(RawHttp::close);
        }
    }

    private static long upload(String user, byte[] bytes) throws Exception {
        HttpResponse<String> up = send(HttpRequest.newBuilder(uri("/v1/media")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + ISSUER.issue(user, "acme", Duration.ofMinutes(5)))
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        assertEquals(201, up.statusCode(), up.body());
        JsonNode media = RestClient.JSON.readTree(up.body());
        return media.get("id").asLong();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
