package dev.switchboard.message.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.message.MessageServer;
import dev.switchboard.message.MessageServerOptions;
import dev.switchboard.message.http.RestClient.Response;
import dev.switchboard.message.media.MediaOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Media over real sockets: uploads to a filesystem store, attachments on PostgreSQL, downloads by membership. */
class MediaIT {
    static final String SECRET = "0123456789abcdef0123456789abcdef-media";
    static final String API_KEY = "server-key-media-0123456789";
    static final TokenIssuer ISSUER = new TokenIssuer(SECRET);
    static final int JSON_LIMIT = 8 * 1024;
    static final int MEDIA_LIMIT = 256 * 1024;

    @TempDir
    static Path dir;
    static MessageServiceFixture fixture;
    static MessageServer server;
    static RestClient rest;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        fixture = new MessageServiceFixture(SECRET, new ApiKeys(List.of(API_KEY)));
        server = fixture.serve(o -> o.http(MessageServerOptions.DEFAULT_HTTP.toBuilder().maxBodyBytes(JSON_LIMIT).build())
                .media(MediaOptions.builder().store(MediaOptions.Store.FILESYSTEM).directory(dir.resolve("media"))
                        .maxBytes(MEDIA_LIMIT).build()));
        rest = new RestClient(server.port());
        for (String[] u : new String[][] {{"acme", "ana"}, {"acme", "ben"}, {"acme", "cy"}, {"globex", "zed"}}) {
            Response r = rest.call("POST", "/v1/users", Map.of("X-Api-Key", API_KEY),
                    "{\"org\":\"" + u[0] + "\",\"id\":\"" + u[1] + "\",\"name\":\"" + u[1] + "\"}");
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
    void uploadAttachAndDownloadByAMemberOnly() throws Exception {
        byte[] image = bytes(100_000, 1); // larger than the JSON limit: uploads have their own
        HttpResponse<String> up = upload("acme", "ana", "image/png", image);
        assertEquals(201, up.statusCode(), up.body());
        JsonNode media = RestClient.JSON.readTree(up.body());
        long id = media.get("id").asLong();
        assertEquals("image/png", media.get("content_type").asText());
        assertEquals(image.length, media.get("size").asLong());
        assertEquals(403, download("acme", "ben", id).statusCode(), "not yet sent anywhere: the uploader's only");

        long g = group("ana", "design", "ben");
        Response sent = as("acme", "ana", "POST", "/v1/channels/" + g + "/messages",
                "{\"text\":\"the logo\",\"attachments\":[{\"media_id\":" + id + "}]}");
        assertEquals(201, sent.status(), String.valueOf(sent.body()));
        JsonNode att = sent.body().get("attachments").get(0);
        assertEquals(id, att.get("media_id").asLong());
        assertEquals("image/png", att.get("content_type").asText());
        assertEquals(image.length, att.get("size").asLong());

        HttpResponse<byte[]> got = download("acme", "ben", id);
        assertEquals(200, got.statusCode());
        assertEquals("image/png", got.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(image, got.body());
        assertArrayEquals(image, download("acme", "ana", id).body());
        assertEquals(403, download("acme", "cy", id).statusCode(), "same org, not a member");
        assertEquals(404, download("globex", "zed", id).statusCode(), "another org: it does not exist");
        assertEquals(404, download("acme", "ben", id + 1000).statusCode());
    }

    @Test
    void refusesWrongTypesAndTooLargeUploads() throws Exception {
        HttpResponse<String> text = upload("acme", "ana", "text/plain", bytes(10, 2));
        assertEquals(415, text.statusCode(), text.body());
        assertEquals(415, upload("acme", "ana", "application/octet-stream", bytes(10, 2)).statusCode());
        HttpResponse<String> big = upload("acme", "ana", "video/mp4", bytes(MEDIA_LIMIT + 1, 3));
        assertEquals(413, big.statusCode(), big.body());
        assertEquals(201, upload("acme", "ana", "video/mp4; codecs=avc1", bytes(MEDIA_LIMIT, 3)).statusCode());
        Response json = as("acme", "ana", "POST", "/v1/channels", "{\"name\":\"" + "x".repeat(JSON_LIMIT) + "\"}");
        assertEquals(413, json.status(), "JSON endpoints keep their own limit");
    }

    @Test
    void onlyTheUploaderMayAttachAndOnlyOnce() throws Exception {
        long id = RestClient.JSON.readTree(upload("acme", "ana", "image/webp", bytes(500, 4)).body()).get("id").asLong();
        long g = group("ana", "review", "ben");
        String body = "{\"text\":\"\",\"attachments\":[{\"media_id\":" + id + "}]}";
        assertEquals(403, as("acme", "ben", "POST", "/v1/channels/" + g + "/messages", body).status());
        assertEquals(404, as("acme", "ana", "POST", "/v1/channels/" + g + "/messages",
                "{\"text\":\"x\",\"attachments\":[{\"media_id\":987654}]}").status());
        assertEquals(201, as("acme", "ana", "POST", "/v1/channels/" + g + "/messages", body).status());
        assertEquals(409, as("acme", "ana", "POST", "/v1/channels/" + g + "/messages", body).status());
        assertEquals(400, as("acme", "ana", "POST", "/v1/channels/" + g + "/messages",
                "{\"text\":\"x\",\"attachments\":[{\"media_id\":\"one\"}]}").status());
    }

    static HttpResponse<String> upload(String org, String user, String type, byte[] data)
            throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/media"))
                .header("Authorization", "Bearer " + ISSUER.issue(user, org, Duration.ofMinutes(5)))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(data)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> download(String org, String user, long id) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/media/" + id))
                .header("Authorization", "Bearer " + ISSUER.issue(user, org, Duration.ofMinutes(5))).GET().build();
        return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static long group(String creator, String name, String member) {
        Response r = as("acme", creator, "POST", "/v1/channels",
                "{\"name\":\"" + name + "\",\"type\":\"GROUP\",\"members\":[\"" + member + "\"]}");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asLong();
    }

    static Response as(String org, String user, String method, String path, String body) {
        return rest.call(method, path, RestClient.bearer(ISSUER.issue(user, org, Duration.ofMinutes(5))), body);
    }
}
