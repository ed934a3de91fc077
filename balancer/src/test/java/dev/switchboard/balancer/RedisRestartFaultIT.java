package dev.switchboard.balancer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.bridge.redis.RedisResources;
import dev.switchboard.testing.RedisCli;
import dev.switchboard.testing.RedisServerProcess;
import dev.switchboard.testing.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The registry's Redis (the test's own) is SIGKILLed and started again, empty, on
 * its port while clients keep asking the balancer where to connect (issue #15,
 * item 9). Every answer is 200 and names a live edge node: during the outage
 * from the last view, after Redis's return from the last good view merged with
 * the fresh reads until every node has re-registered. The nodes re-register by
 * themselves (the reconnect triggers a beat at once); how long it took goes to
 * the report, not into an assertion.
 */
class RedisRestartFaultIT {
    static final String SECRET = "restart-it-secret-of-at-least-32-bytes!!";
    static final String API_KEY = "restart-it-api-key";
    static final Set<String> NODES = Set.of("edge-1", "edge-2", "edge-3");
    static final Duration OUTAGE = Duration.ofSeconds(2);
    /** A TTL long enough that the balancer's grace outlasts a slow re-registration on a loaded machine. */
    static final RegistryOptions REGISTRY = RegistryOptions.builder().heartbeatInterval(Duration.ofSeconds(1))
            .ttl(Duration.ofSeconds(10)).build();
    static final int ASKERS = 4;

    @Test
    void everyAnswerIsALiveNodeWhileRedisRestarts() throws Exception {
        run(false);
    }

    /**
     * The nodes reach Redis through a path that stays cut for a while after Redis is
     * back, so the balancer reads an empty registry first: it must keep placing on
     * the last good view until the nodes are back, not answer NO_NODE.
     */
    @Test
    void theLastGoodViewIsServedUntilTheNodesHaveReRegistered() throws Exception {
        run(true);
    }

    private static void run(boolean nodesReturnLate) throws Exception {
        List<NodeRegistration> registrations = new ArrayList<>();
        try (RedisServerProcess redis = new RedisServerProcess().start();
             TcpProxy nodesPath = new TcpProxy("127.0.0.1", redis.port());
             RedisResources shared = RedisResources.create()) {
            for (String id : NODES) {
                registrations.add(new NodeRegistration(shared, "redis://127.0.0.1:" + nodesPath.port(), id,
                        "ws://" + id + ".test:8080/ws", 1000, () -> 0, () -> false, REGISTRY));
            }
            BalancerOptions options = BalancerOptions.builder().host("127.0.0.1").port(0).registry(REGISTRY)
                    .refreshInterval(Duration.ofMillis(100)).build();
            try (BalancerServer balancer = BalancerServer.builder(options).redis(redis.uri()).redisResources(shared)
                    .tokenVerifier(TokenVerifier.builder().hs256Secret(SECRET).build())
                    .apiKeys(new ApiKeys(List.of(API_KEY))).start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> balancer.registry().snapshot().nodes().size() == NODES.size());
                Askers askers = new Askers(balancer.port());

                await().atMost(Duration.ofSeconds(30)).until(() -> askers.answers.get() >= 50);
                redis.kill();
                if (nodesReturnLate) {
                    nodesPath.cut();
                }
                // The outage's length is the fault injected: the askers are answered from the last view all along.
                Thread.sleep(OUTAGE.toMillis());
                int beforeRestart = askers.answers.get();
                redis.start();
                long restart = System.nanoTime();
                if (nodesReturnLate) {
                    // The balancer has read the empty registry (a fresh snapshot after the restart)...
                    await().atMost(Duration.ofSeconds(60)).until(() -> balancer.registry().snapshot().refreshedAtNanos() > restart
                            && RedisCli.run(redis.port(), "SCARD", REGISTRY.indexKey()).strip().equals("0"));
                    int whileEmpty = askers.answers.get();
                    // ...and clients keep being placed while the nodes cannot reach Redis yet.
                    await().atMost(Duration.ofSeconds(60)).until(() -> askers.answers.get() >= whileEmpty + 40);
                    nodesPath.restore();
                }
                // Back when Redis holds every node's record again (they re-registered by themselves)...
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> NODES.stream()
                        .allMatch(id -> !RedisCli.run(redis.port(), "EXISTS", REGISTRY.nodeKey(id)).strip().equals("0")));
                long reregisteredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restart);
                // ...and the balancer's view is built from fresh reads alone.
                await().atMost(Duration.ofSeconds(60)).until(() -> balancer.registry().snapshot().nodes().size() == NODES.size()
                        && !balancer.registry().recovering());
                int atRecovery = askers.answers.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> askers.answers.get() >= atRecovery + 50);
                askers.stop();

                System.out.printf("RedisRestartFaultIT%s: %d answers (%d before the restart), %s; nodes back in Redis %d ms"
                        + " after the restart%n", nodesReturnLate ? " (nodes return late)" : "", askers.answers.get(),
                        beforeRestart, askers.placed, reregisteredMs);
                assertEquals(List.of(), askers.wrong, "answers that were not 200 with a registered node");
                assertTrue(askers.answers.get() > atRecovery, "clients were asking throughout");
            } finally {
                registrations.forEach(NodeRegistration::close);
            }
        }
    }

    /** Clients of four organisations asking the balancer where to connect, back to back, until stopped. */
    private static final class Askers {
        final AtomicBoolean asking = new AtomicBoolean(true);
        final AtomicInteger answers = new AtomicInteger();
        final List<String> wrong = new CopyOnWriteArrayList<>();
        final Map<String, Integer> placed = new ConcurrentHashMap<>();
        final List<Thread> threads = new ArrayList<>();

        Askers(int port) {
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            for (int i = 0; i < ASKERS; i++) {
                String token = new TokenIssuer(SECRET).issue("u" + i, "org-" + i, Duration.ofMinutes(10));
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/connect"))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build();
                threads.add(Thread.ofPlatform().name("asker-" + i).start(() -> {
                    while (asking.get()) {
                        try {
                            HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
                            answers.incrementAndGet();
                            JsonNode body = json.readTree(res.body());
                            String node = body.path("node_id").asText();
                            if (res.statusCode() != 200 || !NODES.contains(node)) {
                                wrong.add(res.statusCode() + " " + res.body());
                            } else {
                                placed.merge(node, 1, Integer::sum);
                            }
                            Thread.sleep(10); // paces the asking: a steady trickle of clients, not a flood
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            wrong.add(e.toString());
                        }
                    }
                }));
            }
        }

        void stop() throws InterruptedException {
            asking.set(false);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
        }
    }
}
