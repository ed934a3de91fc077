package dev.switchboard.images;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.cli.BuildInfo;
import dev.switchboard.client.ClientResources;
import dev.switchboard.client.Endpoint;
import dev.switchboard.client.internal.RecordingListener;
import dev.switchboard.client.internal.WireConnection;
import dev.switchboard.testing.Closeables;
import dev.switchboard.testing.FreePorts;
import dev.switchboard.testing.PostgresDatabase;
import dev.switchboard.testing.RedisServerProcess;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.PublishResult;
import dev.switchboard.wire.proto.ServerFrame;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The three images this module builds, loaded into podman and run together as
 * a small production fleet: message-service on PostgreSQL, an edge node on
 * Redis, the balancer reading the node registry. Clients reach the edge the
 * balancer names and chat through it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerImagesIT {
    static final String SECRET = "images-it-secret-0123456789abcdef0123456789";
    static final String API_KEY = "images-it-api-key-0123456789";
    static final String INTERNAL_KEY = "images-it-internal-key-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String RUN = "sb-it-" + UUID.randomUUID().toString().substring(0, 8);

    static final Map<String, String> images = new LinkedHashMap<>();
    static final List<String> containers = new ArrayList<>();
    static RedisServerProcess redis;
    static PostgresDatabase pg;
    static ClientResources clients;
    static int messagesPort;
    static int edgePort;
    static int edgeApiPort;
    static int balancerPort;

    @BeforeAll
    static void startFleet() throws Exception {
        Podman.requireInstalled();
        for (String component : List.of("edge", "messages", "balancer")) {
            images.put(component, Podman.load(Path.of("target", "jib", "switchboard-" + component + ".tar")));
        }
        redis = new RedisServerProcess().start();
        pg = new PostgresDatabase();
        clients = new ClientResources(1);
        messagesPort = FreePorts.next();
        edgePort = FreePorts.next();
        edgeApiPort = FreePorts.next();
        balancerPort = FreePorts.next();
        String hostRedis = redis.uri();

        start("messages", List.of("--host", "127.0.0.1", "--port", Integer.toString(messagesPort), "--db", pg.jdbcUrl(),
                "--redis", hostRedis, "--jwt-secret", SECRET, "--api-key", "platform:" + API_KEY, "--internal-key", INTERNAL_KEY));
        awaitHealthy("messages", messagesPort);
        start("edge", List.of("--host", "127.0.0.1", "--port", Integer.toString(edgePort), "--api-port", Integer.toString(edgeApiPort),
                "--node-id", RUN + "-edge", "--redis", hostRedis, "--messages-url", "http://127.0.0.1:" + messagesPort,
                "--jwt-secret", SECRET, "--api-key", "platform:" + API_KEY, "--internal-key", INTERNAL_KEY));
        awaitHealthy("edge", edgeApiPort);
        start("balancer", List.of("--host", "127.0.0.1", "--port", Integer.toString(balancerPort), "--redis", hostRedis,
                "--jwt-secret", SECRET, "--api-key", "platform:" + API_KEY));
        awaitHealthy("balancer", balancerPort);
    }

    @AfterAll
    static void stopFleet() {
        try {
            Podman.removeContainers(containers);
            Podman.removeImages(List.copyOf(images.values()));
        } finally {
            Closeables.closeAll(clients, redis, pg);
        }
    }

    @Test
    @Order(1)
    void eachImageRunsItsComponentAsTheNonrootUser() {
        for (Map.Entry<String, String> image : images.entrySet()) {
            assertEquals("65532", Podman.inspect(image.getValue(), "{{.Config.User}}"), image.getKey());
            String entrypoint = Podman.inspect(image.getValue(), "{{json .Config.Entrypoint}}");
            assertTrue(entrypoint.endsWith("\"dev.switchboard.cli.Main\",\"" + image.getKey() + "\"]"), entrypoint);
        }
        for (String container : containers) {
            assertEquals("running", Podman.inspect(container, "{{.State.Status}}"), container);
            assertEquals("65532", Podman.inspect(container, "{{.Config.User}}"), container);
        }
    }

    @Test
    @Order(2)
    void eachImageIsTaggedWithTheReleaseVersionAndReportsItsBuild() {
        BuildInfo build = BuildInfo.current();
        for (Map.Entry<String, String> image : images.entrySet()) {
            assertTrue(image.getValue().endsWith(":" + build.version()), image.getValue());
            assertEquals(build.version(), Podman.inspect(image.getValue(), "{{index .Config.Labels \"org.opencontainers.image.version\"}}"));
            // The ports the launcher's subcommand listens on by default (and deploy/k8s names).
            String exposed = Podman.inspect(image.getValue(), "{{json .Config.ExposedPorts}}");
            for (String port : Map.of("edge", List.of("8080", "8081"), "messages", List.of("8090"), "balancer", List.of("8070")).get(image.getKey())) {
                assertTrue(exposed.contains("\"" + port + "/tcp\""), image.getKey() + " exposes " + port + ": " + exposed);
            }
            // The entrypoint's command line with --version in place of the component's options.
            String out = Podman.runOnce(image.getValue(), List.of("java", "-cp", "@/app/jib-classpath-file", "dev.switchboard.cli.Main",
                    image.getKey(), "--version"));
            assertEquals(build.toString(), out.lines().findFirst().orElse(""), out);
        }
    }

    @Test
    @Order(2)
    void theLocalBaseRunsTheBuildJdksRuntimeTrimmedWithItsFlagsBuiltIn() {
        String base = System.getProperty("image.base", "");
        assumeTrue(base.startsWith("tar://"), "the images are on a registry base: " + base);
        String settings = Podman.runOnce(images.get("edge"), List.of("java", "-XshowSettings:properties", "-XX:+PrintFlagsFinal", "-version"));
        assertTrue(settings.contains("user.name = nonroot"), settings);
        assertTrue(settings.contains("java.home = /opt/java/openjdk"), settings);
        assertTrue(settings.contains("java.specification.version = " + Runtime.version().feature()), "jlinked from the build JDK");
        if (Runtime.version().feature() >= 25) {
            assertTrue(settings.matches("(?s).*bool UseCompactObjectHeaders\\s+= true.*"), "compact object headers are built into the runtime");
            assertTrue(settings.contains("sun.misc.unsafe.memory.access = allow"), settings);
        }
        String modules = Podman.runOnce(images.get("edge"), List.of("java", "--list-modules"));
        assertTrue(!modules.contains("jdk.compiler") && modules.contains("java.sql"), "a runtime of the modules the launcher needs: " + modules);
    }

    @Test
    @Order(3)
    void aMessageTravelsThroughTheBalancedEdgeTheMessageServiceAndPostgres() throws Exception {
        TokenIssuer tokens = new TokenIssuer(SECRET);
        String org = RUN.replace("-", "");
        for (String user : List.of("alice", "bob")) {
            Rest created = rest("POST", "/v1/users", null, "{\"org\":\"" + org + "\",\"id\":\"" + user + "\",\"name\":\"" + user + "\"}");
            assertEquals(201, created.status(), created.toString());
        }
        String aliceToken = tokens.issue("alice", org, Duration.ofMinutes(10));
        String bobToken = tokens.issue("bob", org, Duration.ofMinutes(10));

        Recorder alice = connectThroughBalancer(aliceToken);
        Recorder bob = connectThroughBalancer(bobToken);
        Rest dm = rest("POST", "/v1/dms", aliceToken, "{\"user_id\":\"bob\"}");
        assertEquals(201, dm.status(), dm.toString());
        long id = dm.body().path("channel").path("id").asLong(dm.body().path("id").asLong());
        String channel = org + "/chat/" + id;
        for (Recorder r : List.of(alice, bob)) {
            ServerFrame joined = r.nextPush(ServerFrame.BodyCase.SUBSCRIBED, Duration.ofSeconds(15));
            assertNotNull(joined, "both live sessions join the new DM");
        }

        PublishResult ack = bob.client.publish(channel, "{\"text\":\"hi from a container\"}".getBytes(StandardCharsets.UTF_8), "c-1")
                .get(15, TimeUnit.SECONDS);
        assertEquals(1, ack.getSeq());
        Publication delivered = alice.publications.poll(15, TimeUnit.SECONDS);
        assertNotNull(delivered, "alice receives bob's message");
        assertEquals(channel, delivered.getChannel());
        assertEquals("c-1", delivered.getClientMsgId());

        Rest history = rest("GET", "/v1/channels/" + id + "/messages?limit=10", aliceToken, null);
        assertEquals(200, history.status(), history.toString());
        assertEquals("hi from a container", history.body().path("messages").path(0).path("text").asText(), history.toString());

        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edgeApiPort + "/metrics"))
                .header("X-Api-Key", API_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("switchboard_edge_connections"), "the edge container serves its Prometheus metrics");
    }

    /** Last: the edge container leaves. */
    @Test
    @Order(4)
    void theKubernetesPreStopHookDrainsTheEdgeContainerWhichThenExits() throws Exception {
        String org = RUN.replace("-", "") + "x";
        Recorder carol = connectThroughBalancer(new TokenIssuer(SECRET).issue("carol", org, Duration.ofMinutes(10)));
        String edge = RUN + "-edge";
        // deploy/k8s/base/edge.yaml's preStop command, as the kubelet runs it.
        Podman.Result hook = Podman.exec(edge, List.of("java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m",
                "-cp", "@/app/jib-classpath-file", "dev.switchboard.cli.Main", "edge", "drain",
                "--api-url", "http://127.0.0.1:" + edgeApiPort, "--api-key", API_KEY, "--window", "1s", "--wait", "40s"));
        assertTrue(hook.output().contains("\"draining\":true"), hook.output());
        // The hook sees the node leave, or is killed with the container as it stops (the kubelet then moves on too).
        assertTrue(hook.exitCode() == 0 && hook.output().contains("{\"exited\":true}") || hook.exitCode() == 137, hook.toString());
        assertNotNull(carol.disconnects.poll(10, TimeUnit.SECONDS), "the client is told to reconnect elsewhere");
        await("the edge container exits").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> "exited".equals(Podman.inspect(edge, "{{.State.Status}}")));
        assertEquals("0", Podman.inspect(edge, "{{.State.ExitCode}}"), Podman.logs(edge));
    }

    private static void start(String component, List<String> args) {
        String name = RUN + "-" + component;
        Podman.start(name, images.get(component), args);
        containers.add(name);
    }

    /** Waits for {@code GET /healthz}; on failure the error carries the container's last log lines. */
    private static void awaitHealthy(String component, int port) {
        String name = RUN + "-" + component;
        try {
            await(component + " is healthy").atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(IOException.class)
                    .failFast(component + " container stopped", () -> !"running".equals(Podman.inspect(name, "{{.State.Status}}")))
                    .until(() -> HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException(component + " container did not become healthy:\n" + Podman.logs(name), e);
        }
    }

    private static Recorder connectThroughBalancer(String token) {
        List<URI> candidates = Endpoint.balancer(URI.create("http://127.0.0.1:" + balancerPort)).resolve(token).join();
        assertEquals(URI.create("ws://127.0.0.1:" + edgePort + "/ws"), candidates.get(0),
                "the balancer names the edge container, which registered itself in Redis");
        Recorder r = new Recorder();
        r.client = WireConnection.builder(candidates.get(0), token).resources(clients).listener(r).connect()
                .orTimeout(10, TimeUnit.SECONDS).join();
        r.client.hello().join();
        return r;
    }

    private static Rest rest(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + messagesPort + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        b.header(token == null ? "X-Api-Key" : "Authorization", token == null ? API_KEY : "Bearer " + token);
        HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Rest(res.statusCode(), res.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(res.body()));
    }

    record Rest(int status, JsonNode body) {
    }

    /** A client with queues of what it received. */
    static final class Recorder extends RecordingListener {
        WireConnection client;
    }
}
