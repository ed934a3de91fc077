package dev.switchboard.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.balancer.BalancerOptions;
import dev.switchboard.balancer.BalancerServer;
import dev.switchboard.balancer.NodeRegistration;
import dev.switchboard.balancer.RegistryOptions;
import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.PersonalChannels;
import dev.switchboard.bridge.redis.Brokers;
import dev.switchboard.bridge.redis.RedisBrokerOptions;
import dev.switchboard.client.ClientResources;
import dev.switchboard.client.internal.RecordingListener;
import dev.switchboard.client.internal.WireConnection;
import dev.switchboard.edge.EdgeServer;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.testing.Closeables;
import dev.switchboard.testing.RedisServerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The balancer's fleet status page in headless Chromium (driven through Debian's
 * chromedriver, as {@link WebClientIT}) against a real balancer and two edge nodes
 * on a redis-server of the test's own: the nodes with their connections, load,
 * state and broker, the busiest channels, the recent disconnects with their
 * reasons, a wrong key refused, and the drain button draining one node through the
 * balancer. Screenshots go to target/e2e-screenshots/.
 */
class FleetStatusPageIT {
    static final String SECRET = "fleet-page-it-secret-0123456789abcdef";
    static final String API_KEY = "fleet-page-it-key-0123456789";
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path profile;
    static RedisServerProcess redis;
    static final List<EdgeServer> edges = new ArrayList<>();
    static final List<Broker> brokers = new ArrayList<>();
    static final List<NodeRegistration> registrations = new ArrayList<>();
    static BalancerServer balancer;
    static ClientResources clients;
    static ChromeDriver driver;
    static final TokenIssuer tokens = new TokenIssuer(SECRET);

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(WebClientIT.CHROMIUM) || !Files.isExecutable(WebClientIT.CHROMEDRIVER)) {
            fail("FleetStatusPageIT needs headless Chromium and its driver at " + WebClientIT.CHROMIUM + " and "
                    + WebClientIT.CHROMEDRIVER + ": apt-get install -y chromium chromium-driver");
        }
        Files.createDirectories(WebClientIT.SCREENSHOTS);
        redis = new RedisServerProcess().start();
        clients = new ClientResources(1);
        TokenVerifier verifier = TokenVerifier.builder().hs256Secret(SECRET).build();
        ApiKeys keys = new ApiKeys(List.of(API_KEY));
        for (int i = 1; i <= 2; i++) {
            // edge-2 is one step of a personal-channel upgrade behind edge-1 (ADR 0019): they hear each other.
            RedisBrokerOptions brokerOptions = RedisBrokerOptions.builder()
                    .personalChannels(i == 1 ? PersonalChannels.BUCKETS : PersonalChannels.BUCKETS_DUAL).build();
            Broker broker = Brokers.create(redis.uri(), brokerOptions, new SimpleMeterRegistry());
            brokers.add(broker);
            EdgeServer edge = EdgeServer.builder(EdgeServerOptions.builder().host("127.0.0.1").port(0).apiPort(0).ioThreads(1)
                            .nodeId("edge-" + i).shutdownTimeout(Duration.ofSeconds(2)).build())
                    .tokenVerifier(verifier).apiKeys(keys).broker(broker).start();
            edges.add(edge);
            var status = edge.status();
            registrations.add(new NodeRegistration(null, redis.uri(), edge.nodeId(), "ws://127.0.0.1:" + edge.port() + "/ws", 100,
                    () -> edge.hub().sessionCount(), edge::isDraining, RegistryOptions.defaults(),
                    "http://127.0.0.1:" + edge.apiPort(), status::snapshot));
        }
        balancer = BalancerServer.builder(BalancerOptions.builder().host("127.0.0.1").port(0).build())
                .tokenVerifier(verifier).apiKeys(keys).redis(redis.uri()).start();
        ChromeOptions options = new ChromeOptions().setBinary(WebClientIT.CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--window-size=1400,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(WebClientIT.CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        registrations.forEach(NodeRegistration::close);
        Closeables.closeAll(balancer);
        edges.forEach(EdgeServer::close);
        brokers.forEach(Broker::close);
        Closeables.closeAll(clients, redis);
    }

    @Test
    void showsTheFleetAndDrainsANodeThroughTheBalancer() throws Exception {
        // Three users in one room on edge-1, one on edge-2; one of edge-1's closes with a reason of its own.
        List<WireConnection> open = new ArrayList<>();
        for (String user : List.of("ann", "ben", "cat")) {
            WireConnection c = connect(0, user);
            c.subscribe("acme/room-lobby").get(30, TimeUnit.SECONDS);
            open.add(c);
        }
        WireConnection dan = connect(1, "dan");
        dan.subscribe("acme/room-ops").get(30, TimeUnit.SECONDS);
        WireConnection leaving = connect(0, "eve");
        leaving.channel().writeAndFlush(new CloseWebSocketFrame(4321, "closing the laptop"));
        leaving.closeFuture().get(30, TimeUnit.SECONDS);

        driver.get("http://127.0.0.1:" + balancer.port() + "/fleet");
        driver.findElement(By.id("key")).sendKeys("not-the-key-0123456789");
        await("the key is submitted", () -> click(driver.findElement(By.id("use-key"))));
        await("a wrong key is refused with the balancer's error", () -> text(By.id("error")).contains("401"));

        driver.findElement(By.id("key")).clear();
        driver.findElement(By.id("key")).sendKeys(API_KEY);
        await("the key is submitted", () -> click(driver.findElement(By.id("use-key"))));
        await("both nodes are listed", () -> rows().size() == 2 && text(By.id("error")).isEmpty());
        await("edge-1 shows its 3 connections and the busiest channel",
                () -> cell("edge-1", "connections").startsWith("3 / 100") && cell("edge-1", "channels").contains("acme/room-lobby (3)"));
        await("edge-2 shows its connection and its channel",
                () -> cell("edge-2", "connections").startsWith("1 / 100") && cell("edge-2", "channels").contains("acme/room-ops (1)"));
        assertEquals("serving", cell("edge-1", "state"));
        assertEquals("connected\npersonal channels: buckets", cell("edge-1", "broker"));
        assertEquals("connected\npersonal channels: buckets-dual", cell("edge-2", "broker"));
        assertEquals("", text(By.id("personal-warning")), "neighbouring upgrade steps are not warned of");
        await("the client's close is among the recent disconnects",
                () -> text(By.id("disconnects")).contains("4321") && text(By.id("disconnects")).contains("client"));
        screenshot("fleet-page");

        // A node still on per-user personal channels, two steps behind edge-1: the page warns while it is there.
        try (NodeRegistration old = new NodeRegistration(null, redis.uri(), "edge-old", "ws://127.0.0.1:9/ws", 100,
                () -> 0, () -> false, RegistryOptions.defaults(), null,
                () -> Map.of("broker", Map.of("available", true, "personal_channels", "users", "personal_channels_step", 0)))) {
            await("the page warns of nodes two upgrade steps apart", () -> text(By.id("personal-warning"))
                    .startsWith("Nodes carry personal channels as users, buckets-dual, buckets: more than one upgrade step apart"));
            screenshot("fleet-page-personal-warning");
        }
        await("the warning goes with that node", () -> rows().size() == 2 && text(By.id("personal-warning")).isEmpty());

        // Drain edge-2: the first click arms the button, the second drains through the balancer with the page's key.
        await("the drain button takes the first click", () -> click(drainButton("edge-2")));
        await("the drain button asks for confirmation", () -> drainButton("edge-2").getText().equals("Confirm drain"));
        await("the drain button takes the second click", () -> click(drainButton("edge-2")));
        await("edge-2 drains", () -> edges.get(1).isDraining());
        await("the page says so", () -> text(By.id("drain-result")).startsWith("draining edge-2"));
        await("the page shows edge-2 draining", () -> cell("edge-2", "state").equals("draining") && !drainButton("edge-2").isEnabled());
        assertTrue(!edges.get(0).isDraining(), "edge-1 still serves");
        await("dan's session was told to reconnect elsewhere", () -> !dan.isOpen());
        screenshot("fleet-page-drained");

        // The JSON behind the page needs a platform key; the drain route refuses unknown nodes.
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + balancer.port() + "/v1/fleet")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + balancer.port() + "/v1/fleet/nodes/edge-9/drain"))
                .header("X-Api-Key", API_KEY).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("NODE_UNKNOWN"), unknown.body());
        open.forEach(WireConnection::close);
    }

    private static WireConnection connect(int edge, String user) throws Exception {
        WireConnection c = WireConnection.builder(URI.create("ws://127.0.0.1:" + edges.get(edge).port() + "/ws"),
                        tokens.issue(user, "acme", Duration.ofMinutes(10)))
                .resources(clients).listener(new RecordingListener()).connect().get(30, TimeUnit.SECONDS);
        c.hello().get(60, TimeUnit.SECONDS);
        return c;
    }

    private static List<WebElement> rows() {
        return driver.findElements(By.cssSelector("#nodes tbody tr"));
    }

    private static String cell(String node, String column) {
        return driver.findElement(By.cssSelector("#nodes tr[data-node='" + node + "'] td." + column)).getText().strip();
    }

    private static WebElement drainButton(String node) {
        return driver.findElement(By.cssSelector("#nodes tr[data-node='" + node + "'] button.drain"));
    }

    /** A click (true), for {@link #await}: an element replaced under it is found again and clicked then. */
    private static boolean click(WebElement element) {
        element.click();
        return true;
    }

    private static String text(By by) {
        return driver.findElement(by).getText().strip();
    }

    /** Polls {@code condition} (the page re-renders every 2 s, so elements go stale between reads). */
    private static void await(String what, Callable<Boolean> condition) {
        try {
            // The driver is used by one thread at a time: the test's, which also takes the screenshot.
            Awaitility.await(what).atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(WebDriverException.class).until(condition);
        } catch (ConditionTimeoutException e) {
            screenshot("fleet-page-failed");
            throw e;
        }
    }

    private static void screenshot(String name) {
        try {
            Files.write(WebClientIT.SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (Exception e) {
            // A screenshot is a help, never the test.
        }
    }
}
