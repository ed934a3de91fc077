package dev.switchboard.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.balancer.BalancerOptions;
import dev.switchboard.balancer.BalancerServer;
import dev.switchboard.balancer.NodeRegistration;
import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.redis.Brokers;
import dev.switchboard.bridge.redis.RedisBrokerOptions;
import dev.switchboard.cli.JvmMeters;
import dev.switchboard.client.ClientResources;
import dev.switchboard.client.internal.RecordingListener;
import dev.switchboard.client.internal.WireConnection;
import dev.switchboard.edge.EdgeServer;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.edge.chat.HttpChatBackend;
import dev.switchboard.edge.presence.RedisPresenceStore;
import dev.switchboard.message.MessageServer;
import dev.switchboard.message.MessageServerOptions;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.testing.Closeables;
import dev.switchboard.testing.PostgresDatabase;
import dev.switchboard.testing.RedisServerProcess;
import dev.switchboard.wire.proto.Publication;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric the Grafana dashboard (deploy/grafana/switchboard.json) queries is
 * in the /metrics output of the fleet after some traffic: two edge nodes on Redis,
 * a message-service on PostgreSQL and a balancer, each with its Prometheus registry
 * and JVM meters as the launcher sets them up. The traffic also has to move the
 * edge's and message-service's latency histograms, so that a panel is known to
 * show something, not only to name a series that exists.
 */
class DashboardMetricsIT {
    static final String SECRET = "dashboard-it-secret-0123456789abcdef";
    static final String API_KEY = "dashboard-it-key-0123456789";
    static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "switchboard.json");
    static final ObjectMapper JSON = new ObjectMapper();
    /** PromQL words that are not metric names. */
    static final Set<String> PROMQL = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool",
            "and", "or", "unless", "offset", "le", "inf", "nan");

    static PostgresDatabase pg;
    static RedisServerProcess redis;
    static MessageServer messages;
    static BalancerServer balancer;
    static final List<EdgeServer> edges = new ArrayList<>();
    static final List<Broker> brokers = new ArrayList<>();
    static final List<NodeRegistration> registrations = new ArrayList<>();
    static final List<PrometheusMeterRegistry> edgeMeters = new ArrayList<>();
    static PrometheusMeterRegistry messageMeters;
    static PrometheusMeterRegistry balancerMeters;
    static ClientResources clients;
    static final HttpClient http = HttpClient.newHttpClient();
    static final TokenIssuer tokens = new TokenIssuer(SECRET);

    @BeforeAll
    static void start() throws Exception {
        pg = new PostgresDatabase();
        redis = new RedisServerProcess().start();
        clients = new ClientResources(2);
        TokenVerifier verifier = TokenVerifier.builder().hs256Secret(SECRET).build();
        ApiKeys keys = new ApiKeys(List.of(API_KEY));
        messageMeters = prometheus();
        messages = MessageServer.start(MessageServerOptions.builder().host("127.0.0.1").port(0)
                        .database(DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).build()).build(),
                broker(messageMeters), verifier, keys, messageMeters);
        for (int i = 1; i <= 2; i++) {
            PrometheusMeterRegistry meters = prometheus();
            edgeMeters.add(meters);
            EdgeServer edge = EdgeServer.builder(EdgeServerOptions.builder().host("127.0.0.1").port(0).apiPort(0).ioThreads(2)
                            .nodeId("edge-" + i).shutdownTimeout(Duration.ofSeconds(2)).build())
                    .tokenVerifier(verifier).apiKeys(keys).broker(broker(meters)).meterRegistry(meters)
                    .presenceStore(RedisPresenceStore.connect(redis.uri(), RedisPresenceStore.DEFAULT_PREFIX, Duration.ofSeconds(3)))
                    .chatBackend(new HttpChatBackend(URI.create(restBase()), API_KEY, Duration.ofSeconds(10)))
                    .start();
            edges.add(edge);
            registrations.add(new NodeRegistration(redis.uri(), edge.nodeId(), "ws://127.0.0.1:" + edge.port() + "/ws", 1000,
                    () -> edge.hub().sessionCount(), edge::isDraining));
        }
        balancerMeters = prometheus();
        balancer = BalancerServer.builder(BalancerOptions.builder().host("127.0.0.1").port(0).build())
                .tokenVerifier(verifier).apiKeys(keys).meterRegistry(balancerMeters).redis(redis.uri()).start();
    }

    static PrometheusMeterRegistry prometheus() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmMeters.bindTo(r);
        return r;
    }

    static Broker broker(PrometheusMeterRegistry meters) {
        Broker b = Brokers.create(redis.uri(), RedisBrokerOptions.defaults(), meters);
        brokers.add(b);
        return b;
    }

    static String restBase() {
        return "http://127.0.0.1:" + messages.port();
    }

    @AfterAll
    static void stop() {
        registrations.forEach(NodeRegistration::close);
        Closeables.closeAll(balancer);
        edges.forEach(EdgeServer::close);
        Closeables.closeAll(messages);
        brokers.forEach(Broker::close);
        Closeables.closeAll(clients, redis, pg);
    }

    @Test
    void everyDashboardMetricIsExposedAndTheLatencyHistogramsMoveWithTraffic() throws Exception {
        traffic();

        // The JVM's GC pause timer appears with the first collection.
        System.gc();
        Set<String> exposed = new TreeSet<>();
        for (int port : scrapePorts()) {
            exposed.addAll(seriesNames(get("http://127.0.0.1:" + port + "/metrics")));
        }
        Set<String> queried = dashboardMetrics();
        assertTrue(queried.size() > 40, "the dashboard's queries were read: " + queried);
        Set<String> missing = new TreeSet<>(queried);
        missing.removeAll(exposed);
        assertEquals(Set.of(), missing, "metrics the dashboard queries that no service exposes");

        // The new histograms counted the traffic (eventually: some are recorded after the reply).
        awaitMetric(edgePorts(), "switchboard_edge_handshake_seconds_count", v -> v >= 3);
        awaitMetric(edgePorts(), "switchboard_edge_command_seconds_count{command=\"publish\"", v -> v >= 5);
        awaitMetric(edgePorts(), "switchboard_edge_command_seconds_count{command=\"connect\"", v -> v >= 3);
        awaitMetric(edgePorts(), "switchboard_edge_command_seconds_count{command=\"history\"", v -> v >= 1);
        awaitMetric(edgePorts(), "switchboard_edge_fanout_seconds_count", v -> v >= 1);
        awaitMetric(edgePorts(), "switchboard_edge_commit_to_flush_seconds_count", v -> v >= 1);
        awaitMetric(edgePorts(), "switchboard_edge_recoveries_total{outcome=\"recovered\"", v -> v >= 1);
        awaitMetric(edgePorts(), "switchboard_edge_recovery_replayed_sum", v -> v >= 5);
        awaitMetric(edgePorts(), "switchboard_edge_disconnects_total{code=\"1000\",side=\"client\"", v -> v >= 1);
        awaitMetric(edgePorts(), "switchboard_edge_disconnects_total{code=\"none\",side=\"lost\"", v -> v >= 2);
        awaitMetric(List.of(messages.port()), "switchboard_messages_commit_seconds_count", v -> v >= 5);
        awaitMetric(List.of(messages.port()), "switchboard_messages_commit_to_publish_seconds_count", v -> v >= 5);
        awaitMetric(List.of(messages.port()), "switchboard_messages_history_seconds_count", v -> v >= 2);
    }

    /** Two users on two edges, chat messages both ways, a history page, a recovery, a client's close. */
    private void traffic() throws Exception {
        for (String u : List.of("alice", "bob")) {
            int status = rest("POST", "/v1/users", null, "{\"org\":\"acme\",\"id\":\"" + u + "\",\"name\":\"" + u + "\"}").statusCode();
            assertEquals(201, status);
        }
        HttpResponse<String> group = rest("POST", "/v1/channels", tokens.issue("alice", "acme", Duration.ofMinutes(10)),
                "{\"name\":\"ops\",\"type\":\"GROUP\",\"members\":[\"bob\"]}");
        assertEquals(201, group.statusCode(), group.body());
        JsonNode g = JSON.readTree(group.body());
        String channel = "acme/chat/" + g.path("channel").path("id").asLong(g.path("id").asLong());

        HttpResponse<String> placed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + balancer.port() + "/v1/connect"))
                .header("Authorization", "Bearer " + tokens.issue("alice", "acme", Duration.ofMinutes(10))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, placed.statusCode(), placed.body());

        Client alice = connect(0, "alice", Map.of());
        Client bob = connect(1, "bob", Map.of());
        for (int i = 1; i <= 5; i++) {
            bob.ws.publish(channel, ("{\"text\":\"m" + i + "\"}").getBytes(StandardCharsets.UTF_8), "c-" + i).get(20, TimeUnit.SECONDS);
        }
        for (int i = 1; i <= 5; i++) {
            Publication p = alice.listener.nextPublication(Duration.ofSeconds(20));
            assertTrue(p != null && p.getSeq() == i, "alice got seq " + i + " from the other edge: " + p);
        }
        alice.ws.historyBefore(channel, 0, 10).get(20, TimeUnit.SECONDS);
        Client again = connect(1, "alice", Map.of(channel, 0L));
        for (int i = 1; i <= 5; i++) {
            assertTrue(again.listener.nextPublication(Duration.ofSeconds(20)) != null, "replayed seq " + i);
        }
        // A closing handshake from the client (code 1000), then two connections that just drop.
        again.ws.channel().writeAndFlush(new CloseWebSocketFrame(1000, "bye"));
        again.ws.closeFuture().get(20, TimeUnit.SECONDS);
        // Closed under the WebSocket handler, which would say goodbye with 1000 first: the edge sees the TCP close only.
        alice.ws.channel().pipeline().firstContext().close();
        bob.ws.channel().pipeline().firstContext().close();
    }

    record Client(WireConnection ws, RecordingListener listener) {
    }

    private Client connect(int edge, String user, Map<String, Long> positions) throws Exception {
        RecordingListener listener = new RecordingListener();
        WireConnection ws = WireConnection.builder(URI.create("ws://127.0.0.1:" + edges.get(edge).port() + "/ws"),
                        tokens.issue(user, "acme", Duration.ofMinutes(10)))
                .resources(clients).listener(listener).connect().get(20, TimeUnit.SECONDS);
        ws.hello(positions).get(60, TimeUnit.SECONDS);
        return new Client(ws, listener);
    }

    private HttpResponse<String> rest(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(restBase() + path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        b.header(token == null ? "X-Api-Key" : "Authorization", token == null ? API_KEY : "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Integer> edgePorts() {
        return edges.stream().map(EdgeServer::apiPort).toList();
    }

    private static List<Integer> scrapePorts() {
        List<Integer> ports = new ArrayList<>(edgePorts());
        ports.add(messages.port());
        ports.add(balancer.port());
        return ports;
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode(), url);
        return res.body();
    }

    /** The series names of a Prometheus text exposition. */
    static Set<String> seriesNames(String text) {
        Set<String> names = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int end = 0;
                while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                    end++;
                }
                names.add(line.substring(0, end));
            }
        }
        return names;
    }

    /** The metric names in the dashboard's PromQL expressions. */
    static Set<String> dashboardMetrics() throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));
        Set<String> names = new TreeSet<>();
        Pattern ident = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(?=\\s*(\\()?)");
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText()
                        .replaceAll("\\{[^}]*}", " ")                // label matchers
                        .replaceAll("\\[[^]]*]", " ")                // ranges
                        .replaceAll("\\b(by|without)\\s*\\([^)]*\\)", " ") // grouping labels
                        .replaceAll("\"[^\"]*\"", " ");
                Matcher m = ident.matcher(expr);
                while (m.find()) {
                    String word = m.group();
                    boolean function = m.group(1) != null;
                    if (!function && !PROMQL.contains(word.toLowerCase()) && word.contains("_")) {
                        names.add(word);
                    }
                }
            }
        }
        return names;
    }

    /** Waits (generously: loaded machines) until the sum of the samples starting with {@code prefix} passes {@code ok}. */
    private static void awaitMetric(List<Integer> ports, String prefix, Predicate<Double> ok) {
        await(prefix + " after the traffic").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> sum(ports, prefix), ok);
    }

    /** The sum of the samples starting with {@code prefix} on every one of {@code ports}. */
    private static double sum(List<Integer> ports, String prefix) throws Exception {
        double sum = 0;
        for (int port : ports) {
            for (String line : get("http://127.0.0.1:" + port + "/metrics").split("\n")) {
                if (line.startsWith(prefix) && (line.charAt(prefix.length()) == ' ' || line.charAt(prefix.length()) == '{'
                        || line.charAt(prefix.length()) == ',' || line.charAt(prefix.length()) == '}')) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }
}
