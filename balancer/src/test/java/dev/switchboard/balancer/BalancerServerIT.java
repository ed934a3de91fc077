package dev.switchboard.balancer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.testing.LiveThreads;
import dev.switchboard.testing.RedisCli;
import dev.switchboard.testing.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BalancerServerIT {
    private static final String SECRET = "balancer-it-secret-of-at-least-32-bytes!";
    private static final String API_KEY = "balancer-it-api-key";
    private static final String ORG_KEY = "balancer-it-acme-key";
    private static final String INTERNAL_KEY = "balancer-it-internal-key";
    private static final Set<String> NODES = Set.of("edge-1", "edge-2", "edge-3");

    private static RedisServerProcess redis;
    private static final List<NodeRegistration> registrations = new ArrayList<>();
    private static final Map<String, AtomicBoolean> draining = new ConcurrentHashMap<>();
    private static BalancerServer first;
    private static BalancerServer second;
    private static BalancerServer empty;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final TokenIssuer issuer = new TokenIssuer(SECRET);

    @BeforeAll
    static void start() throws InterruptedException {
        redis = new RedisServerProcess().start();
        for (String id : NODES) {
            AtomicBoolean flag = new AtomicBoolean();
            draining.put(id, flag);
            registrations.add(new NodeRegistration(redis.uri(), id, "ws://" + id + ".test:8080/ws", 1000, () -> 0, flag::get));
        }
        first = balancer(RegistryOptions.defaults());
        second = balancer(RegistryOptions.defaults());
        empty = balancer(RegistryOptions.builder().keyPrefix("sb:empty-fleet:").build());
        await().atMost(Duration.ofSeconds(5)).until(() -> first.registry().snapshot().nodes().size() == 3
                && second.registry().snapshot().nodes().size() == 3 && empty.registry().snapshot().loaded());
    }

    private static BalancerServer balancer(RegistryOptions registry) throws InterruptedException {
        BalancerOptions options = BalancerOptions.builder().host("127.0.0.1").port(0)
                .refreshInterval(Duration.ofMillis(100)).registry(registry).build();
        return BalancerServer.builder(options).redis(redis.uri())
                .tokenVerifier(TokenVerifier.builder().hs256Secret(SECRET).build())
                .apiKeys(ApiKeys.parse(List.of("platform:" + API_KEY, "org:acme:" + ORG_KEY))
                        .and(ApiKeys.internal(INTERNAL_KEY))).start();
    }

    @AfterAll
    static void stop() {
        for (BalancerServer b : new BalancerServer[] {first, second, empty}) {
            if (b != null) {
                b.close();
            }
        }
        registrations.forEach(NodeRegistration::close);
        redis.close();
    }

    private HttpResponse<String> get(BalancerServer b, String path, String header, String value) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.port() + path))
                .timeout(Duration.ofSeconds(5));
        if (header != null) {
            req.header(header, value);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode connect(BalancerServer b, String org) throws Exception {
        HttpResponse<String> res = get(b, "/v1/connect", "Authorization", "Bearer " + issuer.issue("u1", org, Duration.ofMinutes(5)));
        assertEquals(200, res.statusCode(), res.body());
        assertEquals("no-store", res.headers().firstValue("cache-control").orElse(""));
        return json.readTree(res.body());
    }

    @Test
    void aStartThatCannotBindClosesWhatItOpened() throws Exception {
        java.util.Set<String> before = LiveThreads.named("balancer-");
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            BalancerOptions options = BalancerOptions.builder().host("127.0.0.1").port(busy.getLocalPort()).build();
            org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> BalancerServer.builder(options)
                    .redis(redis.uri()).tokenVerifier(TokenVerifier.builder().hs256Secret(SECRET).build())
                    .apiKeys(ApiKeys.parse(List.of("platform:" + API_KEY))).start());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(before, LiveThreads.named("balancer-")));
    }

    @Test
    void answersTheNodeToConnectToWithFallbacks() throws Exception {
        JsonNode answer = connect(first, "acme");
        String node = answer.path("node_id").asText();
        assertTrue(NODES.contains(node), answer.toString());
        assertEquals("ws://" + node + ".test:8080/ws", answer.path("url").asText());
        Set<String> all = new HashSet<>(Set.of(node));
        for (JsonNode f : answer.path("fallbacks")) {
            all.add(f.path("node_id").asText());
            assertEquals("ws://" + f.path("node_id").asText() + ".test:8080/ws", f.path("url").asText());
        }
        assertEquals(NODES, all, "primary and two fallbacks are the three distinct nodes: " + answer);
    }

    @Test
    void theSameOrganisationGetsTheSameNodeFromEveryInstance() throws Exception {
        Set<String> homes = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String org = "org-" + i;
            JsonNode a = connect(first, org);
            JsonNode b = connect(second, org);
            JsonNode again = connect(first, org);
            assertEquals(a, b, org);
            assertEquals(a.path("node_id"), again.path("node_id"), org);
            homes.add(a.path("node_id").asText());
        }
        assertEquals(NODES, homes, "organisations spread over every node");
    }

    @Test
    void refusesAMissingOrBadToken() throws Exception {
        HttpResponse<String> none = get(first, "/v1/connect", null, null);
        assertEquals(401, none.statusCode());
        assertEquals("UNAUTHORIZED", json.readTree(none.body()).path("error").path("code").asText());
        String forged = new TokenIssuer("another-secret-that-is-32-bytes-long!!").issue("u1", "acme", Duration.ofMinutes(5));
        assertEquals(401, get(first, "/v1/connect", "Authorization", "Bearer " + forged).statusCode());
        assertEquals(401, get(first, "/v1/connect", "Authorization", "Bearer not.a.jwt").statusCode());
    }

    @Test
    void answers503WhenNoNodeIsRegistered() throws Exception {
        HttpResponse<String> res = get(empty, "/v1/connect", "Authorization",
                "Bearer " + issuer.issue("u1", "acme", Duration.ofMinutes(5)));
        assertEquals(503, res.statusCode());
        assertEquals("NO_NODE", json.readTree(res.body()).path("error").path("code").asText());
        assertEquals("1", res.headers().firstValue("retry-after").orElse(""));
    }

    @Test
    void aDrainingNodeGetsNoMorePlacements() throws Exception {
        String org = "drain-org";
        String home = connect(first, org).path("node_id").asText();
        draining.get(home).set(true);
        try {
            registrations.stream().filter(r -> r.nodeId().equals(home)).forEach(NodeRegistration::beatNow);
            await().atMost(Duration.ofSeconds(3)).until(() -> !connect(first, org).path("node_id").asText().equals(home));
            JsonNode moved = connect(second, org);
            assertNotEquals(home, moved.path("node_id").asText());
            moved.path("fallbacks").forEach(f -> assertNotEquals(home, f.path("node_id").asText()));
        } finally {
            draining.get(home).set(false);
            registrations.stream().filter(r -> r.nodeId().equals(home)).forEach(NodeRegistration::beatNow);
            await().atMost(Duration.ofSeconds(3)).until(() -> connect(first, org).path("node_id").asText().equals(home));
        }
    }

    @Test
    void listsTheRegistryForApiKeysOnly() throws Exception {
        assertEquals(401, get(first, "/v1/nodes", null, null).statusCode());
        assertEquals(401, get(first, "/v1/nodes", "X-Api-Key", "wrong-key-of-sixteen").statusCode());
        // The fleet is no one organisation's: an organisation's key is refused, the internal credential is no API key.
        HttpResponse<String> org = get(first, "/v1/nodes", "X-Api-Key", ORG_KEY);
        assertEquals(403, org.statusCode());
        assertEquals("PERMISSION_DENIED", json.readTree(org.body()).path("error").path("code").asText(), org.body());
        assertEquals(401, get(first, "/v1/nodes", "X-Api-Key", INTERNAL_KEY).statusCode());
        HttpResponse<String> res = get(first, "/v1/nodes", "X-Api-Key", API_KEY);
        assertEquals(200, res.statusCode());
        Set<String> ids = new HashSet<>();
        json.readTree(res.body()).path("nodes").forEach(n -> {
            ids.add(n.path("node_id").asText());
            assertEquals(1000, n.path("capacity").asInt());
        });
        assertEquals(NODES, ids);
    }

    @Test
    void healthAndUnknownRoutes() throws Exception {
        HttpResponse<String> health = get(first, "/healthz", null, null);
        assertEquals(200, health.statusCode());
        assertEquals(3, json.readTree(health.body()).path("nodes").asInt());
        assertEquals(404, get(first, "/v2/elsewhere", null, null).statusCode());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + first.port() + "/v1/connect"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertTrue(RedisCli.lines(redis.port(), "SMEMBERS", "sb:nodes").containsAll(NODES));
    }
}
