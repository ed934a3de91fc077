package dev.switchboard.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.Fleet.Recorder;
import dev.switchboard.app.Fleet.Rest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A running chat system that a test drives the same way whether it is the fleet
 * ({@link Fleet}: PostgreSQL, Redis, edges talking REST to a message-service) or
 * dev mode ({@link DevChat}: one JVM, H2, the in-memory broker).
 */
public interface ChatSystem extends AutoCloseable {
    ObjectMapper JSON = new ObjectMapper();

    String token(String user, String org);

    /** A REST call to the message-service with a user's token, or the API key when {@code token} is null. */
    Rest rest(String method, String path, String token, String body) throws IOException, InterruptedException;

    /** A connected client (hello answered) on edge node {@code edge}. */
    Recorder connect(int edge, String user, String org);

    /** A connected client that has not said hello yet (to say it with positions). */
    Recorder open(int edge, String user, String org);

    int edgeCount();

    @Override
    void close();

    default void createUser(String org, String id) throws Exception {
        Rest r = rest("POST", "/v1/users", null, JSON.createObjectNode().put("org", org).put("id", id).put("name", id).toString());
        if (r.status() != 201) {
            throw new IllegalStateException("create user " + id + ": " + r);
        }
    }

    /** A group of {@code owner} with {@code members}; its id. */
    default long createGroup(String org, String owner, String name, String... members) throws Exception {
        var body = JSON.createObjectNode().put("name", name).put("type", "GROUP");
        var list = body.putArray("members");
        for (String m : members) {
            list.add(m);
        }
        Rest r = rest("POST", "/v1/channels", token(owner, org), body.toString());
        if (r.status() != 201) {
            throw new IllegalStateException("create group " + name + ": " + r);
        }
        return r.body().path("channel").path("id").asLong(r.body().path("id").asLong());
    }

    static Rest call(HttpClient http, String base, String apiKey, String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token == null) {
            b.header("X-Api-Key", apiKey);
        } else {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Rest(res.statusCode(), res.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(res.body()));
    }
}
