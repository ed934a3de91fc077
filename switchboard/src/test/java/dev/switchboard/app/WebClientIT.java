package dev.switchboard.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.bridge.memory.MemoryBroker;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.message.NewMessage;
import dev.switchboard.message.NewUser;
import dev.switchboard.message.UserRef;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.testing.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
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
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;

/**
 * The browser client end to end: the whole system in this JVM ({@link DevSystem},
 * embedded H2), two headless Chromium users driven through chromedriver. Checks
 * history paging by scrolling, live messages both ways, typing, presence dots,
 * unread badges and their reset on reading, and recovery of a message sent while
 * a page was disconnected. Screenshots go to target/e2e-screenshots/.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} (.ci/run installs
 * them); without them the test fails and says so.
 */
class WebClientIT {
    static final Path CHROMIUM = Path.of(System.getProperty("webclient.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("webclient.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "e2e-screenshots");
    static final String SECRET = "web-client-it-secret-0123456789abcdef";
    static final String API_KEY = "web-client-it-key";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static MemoryBroker broker;
    static DevSystem system;
    static String base;
    static long team;
    static long dm;
    static final List<Browser> browsers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("WebClientIT needs headless Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": apt-get install -y chromium chromium-driver (or set -Dwebclient.chromium / -Dwebclient.chromedriver)");
        }
        Files.createDirectories(SCREENSHOTS);
        broker = new MemoryBroker();
        EdgeServerOptions options = EdgeServerOptions.builder().host("127.0.0.1")
                .port(FreePorts.next()).apiPort(FreePorts.next()).nodeId("web-it").build();
        system = DevSystem.start(options, DatabaseOptions.embedded(tmp.resolve("db")), broker, SECRET, API_KEY,
                new SimpleMeterRegistry());
        base = "http://127.0.0.1:" + system.edge().port();
        for (String u : List.of("alice", "bob")) {
            system.chat().createUser(new NewUser("acme", u, u, u + "@acme.test", u)).join();
        }
        UserRef bob = new UserRef("acme", "bob");
        team = system.chat().createGroup(new UserRef("acme", "alice"), "team", List.of("bob")).join().channel().id();
        dm = system.chat().openDm(bob, "alice").join().details().channel().id();
        // More than two pages of history, so that alice's page must scroll up to see the first one.
        for (int i = 1; i <= 120; i++) {
            system.chat().send(bob, team, new NewMessage("old " + i, null, "seed-" + i)).join();
        }
    }

    @AfterAll
    static void stop() {
        browsers.forEach(Browser::close);
        if (system != null) {
            system.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void twoUsersChatThroughTheirBrowsers() throws Exception {
        Browser alice = open("alice");
        String teamName = "acme/chat/" + team;
        String dmName = "acme/chat/" + dm;

        // History: the newest page first, older pages as the pane scrolls up, in order, no duplicates.
        alice.await("alice's page shows the newest message", () -> alice.texts().contains("old 120"));
        assertTrue(alice.texts().size() < 120, "one page at a time, not the whole channel: " + alice.texts().size());
        alice.await("scrolling up loads every older page", () -> {
            alice.js("document.getElementById('messages').scrollTop = 0");
            return alice.texts().size() == 120;
        });
        assertEquals(LongStream.rangeClosed(1, 120).mapToObj(i -> "old " + i).toList(), alice.texts());
        alice.await("the pane says it reached the beginning",
                () -> alice.js("return document.getElementById('history-status').textContent").toString().contains("beginning"));
        assertEquals("0", alice.channelAttr(teamName, "unread"), "viewing the channel read it");
        assertEquals("false", alice.channelAttr(dmName, "online"), "bob is not online yet");
        alice.screenshot("01-alice-history");

        // Presence: bob's page opens, alice's dots turn green (DM entry and member list).
        Browser bob = open("bob");
        bob.await("bob's page shows the channel", () -> bob.texts().contains("old 120"));
        alice.await("alice sees bob come online", () -> "true".equals(alice.channelAttr(dmName, "online"))
                && "true".equals(alice.js("return document.querySelector('#members li[data-user=bob]')?.dataset.online")));
        alice.screenshot("02-bob-online");

        // Live messages both ways, with a typing indicator first.
        alice.type("hello bob from the browser");
        bob.await("bob receives alice's message", () -> bob.texts().contains("hello bob from the browser"));
        alice.await("alice's own message is confirmed by its echo", () -> alice.texts().contains("hello bob from the browser")
                && (Long) alice.js("return document.querySelectorAll('#message-list li.pending').length") == 0);
        bob.composer().sendKeys("hi ali");
        alice.await("alice sees bob typing", () -> alice.js("return document.getElementById('typing').textContent")
                .toString().contains("bob is typing"));
        alice.screenshot("03-alice-sees-typing");
        bob.composer().sendKeys("ce", Keys.ENTER);
        alice.await("alice receives bob's reply", () -> alice.texts().contains("hi alice"));
        alice.await("the typing line clears once the message is in", () -> alice.js(
                "return document.getElementById('typing').textContent").toString().isEmpty());
        bob.screenshot("04-bob-conversation");

        // Unread: alice writes in the DM while bob looks at #team; bob's DM entry gets a badge.
        alice.select(dmName);
        alice.type("psst, a DM");
        bob.await("bob's DM entry counts one unread", () -> "1".equals(bob.channelAttr(dmName, "unread")));
        assertEquals("0", bob.channelAttr(teamName, "unread"));
        bob.screenshot("05-bob-dm-unread");
        bob.select(dmName);
        bob.await("bob reads the DM", () -> bob.texts().contains("psst, a DM"));
        bob.await("the badge goes", () -> "0".equals(bob.channelAttr(dmName, "unread")));
        Awaitility.await("bob's read checkpoint reached the server").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> unreadOnServer("bob", dm) == 0);
        bob.screenshot("06-bob-dm-read");

        // Recovery: alice's connection is cut; what bob sends meanwhile arrives once she is back.
        forceReconnect("alice", 3000);
        alice.await("alice's page notices the cut", () -> !"connected".equals(alice.status()));
        system.chat().send(new UserRef("acme", "bob"), dm, new NewMessage("sent while you were away", null, "away-1")).join();
        alice.await("alice's page reconnects", () -> "connected".equals(alice.status()));
        alice.await("the missed message is recovered", () -> alice.texts().contains("sent while you were away"));
        assertEquals(1, alice.texts().stream().filter("sent while you were away"::equals).count(), "once: " + alice.texts());
        alice.screenshot("07-alice-recovered");

        // Bob leaves: his dot on alice's page goes grey.
        bob.close();
        alice.await("alice sees bob go offline", () -> "false".equals(alice.channelAttr(dmName, "online")));
        alice.screenshot("08-bob-offline");

        // A token the server refuses brings the login box back, saying why.
        alice.driver.get(base + "/app/?token=not-a-token");
        alice.await("the login box explains the refusal", () -> Boolean.TRUE.equals(alice.js(
                "return !document.getElementById('login').hidden"
                + " && document.getElementById('login-error').textContent.includes('refused')")));
        alice.screenshot("09-token-refused");
    }

    // ------------------------------------------------------------------ helpers

    static Browser open(String user) throws IOException {
        String token = new TokenIssuer(SECRET).issue(user, "acme", Duration.ofHours(1));
        Browser b = new Browser(user, Files.createDirectories(tmp.resolve("chromium-" + user)));
        browsers.add(b);
        b.driver.get(base + "/app/#token=" + token);
        b.await(user + "'s page connects", () -> "connected".equals(b.status()));
        return b;
    }

    static long unreadOnServer(String user, long channelId) throws Exception {
        String token = new TokenIssuer(SECRET).issue(user, "acme", Duration.ofMinutes(5));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/v1/me/channels"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        for (JsonNode c : List.of(body.get("dms"), body.get("groups"))) {
            for (JsonNode ch : c) {
                if (ch.get("id").asLong() == channelId) {
                    return ch.get("unread_count").asLong();
                }
            }
        }
        throw new AssertionError("no channel " + channelId + " for " + user + ": " + r.body());
    }

    /** Closes the user's sessions through the server API with "reconnect after" advice. */
    static void forceReconnect(String user, int afterMs) throws Exception {
        String body = JSON.writeValueAsString(Map.of("org", "acme", "user_id", user, "code", 4006,
                "reason", "test", "reconnect_after_ms", afterMs));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + system.edge().apiPort() + "/v1/disconnect"))
                .header("X-Api-Key", API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, "disconnect: " + r.statusCode() + " " + r.body());
    }

    /** One headless Chromium with its own profile, driven through Debian's chromedriver. */
    static final class Browser {
        final String user;
        final ChromeDriver driver;
        private boolean closed;

        Browser(String user, Path profile) {
            this.user = user;
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                    .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--no-first-run", "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", "--window-size=1280,800", "--user-data-dir=" + profile);
            options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            this.driver = new ChromeDriver(service, options);
        }

        Object js(String script) {
            return ((JavascriptExecutor) driver).executeScript(script);
        }

        @SuppressWarnings("unchecked")
        List<String> texts() {
            return (List<String>) js("return [...document.querySelectorAll('#message-list li:not(.pending) .text')]"
                    + ".map(e => e.textContent)");
        }

        String status() {
            return String.valueOf(js("return document.getElementById('status')?.dataset.state"));
        }

        String channelAttr(String channel, String attr) {
            return String.valueOf(js("return document.querySelector('li[data-channel=\"" + channel + "\"]')?.dataset." + attr));
        }

        org.openqa.selenium.WebElement composer() {
            return driver.findElement(By.id("composer-input"));
        }

        void type(String text) {
            composer().sendKeys(text, Keys.ENTER);
        }

        /** Clicks a channel entry; the list is redrawn on every change, so a stale entry is looked up again. */
        void select(String channel) {
            await("click " + channel, () -> {
                try {
                    driver.findElement(By.cssSelector("li[data-channel=\"" + channel + "\"]")).click();
                    return true;
                } catch (StaleElementReferenceException e) {
                    return false;
                }
            });
            await(channel + " is shown", () -> "true".equals(String.valueOf(js(
                    "return document.querySelector('li[data-channel=\"" + channel + "\"]')?.classList.contains('active')"))));
        }

        void await(String what, Callable<Boolean> check) {
            try {
                // The driver is used by one thread at a time: the test's, which also takes the screenshot.
                Awaitility.await(user + ": " + what).atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(100))
                        .until(check);
            } catch (ConditionTimeoutException e) {
                screenshot("FAILED-" + user);
                fail(user + ": timed out: " + what + "\nconsole:\n" + console(), e);
            }
        }

        String console() {
            StringBuilder out = new StringBuilder();
            for (LogEntry e : driver.manage().logs().get("browser")) {
                out.append("  ").append(e.getLevel()).append(' ').append(e.getMessage()).append('\n');
            }
            return out.toString();
        }

        void screenshot(String name) {
            try {
                Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
            } catch (IOException e) {
                throw new AssertionError("screenshot " + name, e);
            }
        }

        void close() {
            if (!closed) {
                closed = true;
                driver.quit();
            }
        }
    }
}
