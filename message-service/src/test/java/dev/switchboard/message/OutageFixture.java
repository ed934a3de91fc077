package dev.switchboard.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.testing.PostgresDatabase;
import dev.switchboard.wire.ChannelNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A message-service whose database is reached through a proxy the test cuts (the
 * outage tests): a pool of 2 with a 2 s connection timeout, a recording broker,
 * and user ana of acme with a group channel whose realtime channel the broker
 * records. Closing it stops the server; the test owns the database, proxy and broker.
 */
final class OutageFixture implements AutoCloseable {
    static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    static final String API_KEY = "server-key-0123456789";

    private final HttpClient http = HttpClient.newHttpClient();
    final MessageServer server;
    /** {@code http://127.0.0.1:<port>}. */
    final String base;
    /** Ana's bearer token. */
    final String token;
    /** The group channel's id and its realtime channel. */
    final long channel;
    final String realtime;

    /**
     * Starts the server on {@code pg} through the proxy on {@code proxyPort}; {@code urlParameters}
     * go after {@code user=postgres} in the JDBC URL (e.g. {@code "&prepareThreshold=0"}).
     */
    OutageFixture(PostgresDatabase pg, int proxyPort, String urlParameters, RecordingBroker broker) throws Exception {
        String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxyPort + "/" + pg.name() + "?user=postgres" + urlParameters;
        MessageServerOptions options = MessageServerOptions.builder().host("127.0.0.1").port(0)
                .database(DatabaseOptions.builder().jdbcUrl(viaProxy).poolSize(2)
                        .connectionTimeout(Duration.ofSeconds(2)).build())
                .build();
        server = MessageServer.start(options, broker.broker(), TokenVerifier.builder().hs256Secret(SECRET).build(),
                new ApiKeys(List.of(API_KEY)), new SimpleMeterRegistry());
        base = "http://127.0.0.1:" + server.port();
        token = new TokenIssuer(SECRET).issue("ana", "acme", Duration.ofMinutes(5));
        assertEquals(201, post(base + "/v1/users", null, "{\"org\":\"acme\",\"id\":\"ana\",\"name\":\"Ana\"}").statusCode());
        HttpResponse<String> group = post(base + "/v1/channels", token, "{\"name\":\"ops\",\"type\":\"GROUP\"}");
        channel = new ObjectMapper().readTree(group.body()).get("id").asLong();
        realtime = ChannelNames.chat("acme", channel);
        broker.subscribe(realtime);
    }

    /** A JSON POST with {@code token} as bearer, or the API key when it is null. */
    HttpResponse<String> post(String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        b.header(token == null ? "X-Api-Key" : "Authorization", token == null ? API_KEY : "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code method} with {@code token} as bearer and a JSON body, if any. */
    HttpResponse<String> call(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An unauthenticated GET. */
    HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
    }
}
