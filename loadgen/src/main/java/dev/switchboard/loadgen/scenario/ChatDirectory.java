package dev.switchboard.loadgen.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Creates the chat scenario's users and group channels through the
 * message-service REST API: {@code POST /v1/users} with the API key, then
 * {@code POST /v1/channels} as the channel's first member. Blocking; runs on
 * the coordinating thread before any connection opens.
 */
final class ChatDirectory implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI api;
    private final String apiKey;
    private final IntFunction<String> bearerOf;

    /** @param bearerOf the token of user {@code i} */
    ChatDirectory(URI api, String apiKey, IntFunction<String> bearerOf) {
        this.api = api;
        this.apiKey = apiKey;
        this.bearerOf = bearerOf;
    }

    /** Creates user {@code id}; an existing user (409) is fine, so runs can be repeated. */
    void createUser(String org, String id) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("org", org).put("id", id).put("name", "Load user " + id);
        HttpResponse<String> r = post("/v1/users", body, "X-Api-Key", apiKey);
        if (r.statusCode() / 100 != 2 && r.statusCode() != 409) {
            throw new IOException("POST /v1/users " + id + ": " + r.statusCode() + " " + r.body());
        }
    }

    /** Creates a group channel of {@code members} (user indices) as its first member; returns its id. */
    long createGroup(String name, List<Integer> members, IntFunction<String> userId) throws IOException, InterruptedException {
        ArrayNode ids = JSON.createArrayNode();
        members.forEach(m -> ids.add(userId.apply(m)));
        ObjectNode body = JSON.createObjectNode().put("name", name).put("type", "GROUP");
        body.set("members", ids);
        HttpResponse<String> r = post("/v1/channels", body, "Authorization", "Bearer " + bearerOf.apply(members.get(0)));
        if (r.statusCode() / 100 != 2) {
            throw new IOException("POST /v1/channels " + name + ": " + r.statusCode() + " " + r.body());
        }
        JsonNode n = JSON.readTree(r.body());
        long id = n.path("id").asLong(-1);
        if (id <= 0) {
            throw new IOException("POST /v1/channels answered no id: " + r.body());
        }
        return id;
    }

    private HttpResponse<String> post(String path, JsonNode body, String authHeader, String authValue)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (authValue != null) {
            b.header(authHeader, authValue);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        http.close();
    }
}
