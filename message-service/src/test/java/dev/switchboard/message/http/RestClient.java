package dev.switchboard.message.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A small JSON client over java.net.http for the REST tests. */
final class RestClient {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A status and the parsed body (null if empty). */
    record Response(int status, JsonNode body) {
        String errorCode() {
            return body == null ? null : body.path("error").path("code").asText(null);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    RestClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    Response call(String method, String path, Map<String, String> headers, String body) {
        return callAsync(method, path, headers, body).join();
    }

    CompletableFuture<Response> callAsync(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            try {
                return new Response(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
            }
        });
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }
}
