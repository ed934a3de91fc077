package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a client connects: one fixed edge URL, or a balancer that names the
 * edge node for the user (and fallbacks) on every (re)connect.
 */
public interface Endpoint {

    /** Candidate WebSocket URLs, best first. */
    CompletableFuture<List<URI>> resolve(String token);

    static Endpoint fixed(URI webSocketUrl) {
        return token -> CompletableFuture.completedFuture(List.of(webSocketUrl));
    }

    /** Asks {@code GET <balancer>/v1/connect} with the user's token. */
    static Endpoint balancer(URI balancer) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ObjectMapper json = new ObjectMapper();
        return token -> http.sendAsync(HttpRequest.newBuilder(balancer.resolve("/v1/connect"))
                        .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).thenApply(res -> {
                    if (res.statusCode() != 200) {
                        throw new IllegalStateException("balancer answered " + res.statusCode());
                    }
                    try {
                        JsonNode body = json.readTree(res.body());
                        List<URI> urls = new ArrayList<>();
                        urls.add(URI.create(body.path("url").asText()));
                        for (JsonNode f : body.path("fallbacks")) {
                            urls.add(URI.create(f.path("url").asText()));
                        }
                        return urls;
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("balancer answer is not JSON", e);
                    }
                });
    }
}
