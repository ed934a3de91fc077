package dev.switchboard.balancer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.RedisCli;
import dev.switchboard.testing.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistryIT {
    private static RedisServerProcess redis;
    private static final Duration REFRESH = Duration.ofMillis(100);

    private final List<NodeRegistration> registrations = new ArrayList<>();
    private NodeRegistry registry;

    @BeforeAll
    static void startRedis() {
        redis = new RedisServerProcess().start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void startRegistry() {
        RedisCli.run(redis.port(), "FLUSHALL");
        registry = NodeRegistry.start(redis.uri(), RegistryOptions.defaults(), REFRESH);
    }

    @AfterEach
    void closeAll() {
        registrations.forEach(NodeRegistration::close);
        registry.close();
    }

    private NodeRegistration register(String id, AtomicInteger connections, AtomicBoolean draining) {
        NodeRegistration r = new NodeRegistration(redis.uri(), id, "ws://" + id + ".test:8080/ws", 1000,
                connections::get, draining::get);
        registrations.add(r);
        return r;
    }

    private List<String> liveIds() {
        return registry.snapshot().nodes().stream().map(NodeInfo::nodeId).toList();
    }

    @Test
    void registrationsAppearWithTheirFields() {
        AtomicInteger connections = new AtomicInteger(17);
        register("edge-1", connections, new AtomicBoolean());
        register("edge-2", new AtomicInteger(), new AtomicBoolean());

        await().atMost(Duration.ofSeconds(3)).until(() -> liveIds().equals(List.of("edge-1", "edge-2")));
        NodeInfo one = registry.snapshot().nodes().get(0);
        assertEquals("ws://edge-1.test:8080/ws", one.url());
        assertEquals(17, one.connections());
        assertEquals(1000, one.capacity());
        assertFalse(one.draining());
        assertTrue(one.updatedAtMs() > System.currentTimeMillis() - 5000);

        // The record is plain JSON with a TTL of a few seconds, readable by operators.
        String raw = RedisCli.run(redis.port(), "GET", "sb:nodes:edge-1");
        assertTrue(raw.contains("\"url\":\"ws://edge-1.test:8080/ws\""), raw);
        long ttl = Long.parseLong(RedisCli.run(redis.port(), "PTTL", "sb:nodes:edge-1").strip());
        assertTrue(ttl > 0 && ttl <= 3000, "ttl " + ttl);
        assertEquals(List.of("edge-1", "edge-2"),
                RedisCli.lines(redis.port(), "SMEMBERS", "sb:nodes").stream().sorted().toList());

        connections.set(42);
        await().atMost(Duration.ofSeconds(3)).until(() -> registry.snapshot().nodes().get(0).connections() == 42);
    }

    @Test
    void aNodeThatStopsBeatingLeavesWithinTheTtl() {
        register("edge-1", new AtomicInteger(), new AtomicBoolean());
        NodeRegistration crashing = register("edge-2", new AtomicInteger(), new AtomicBoolean());
        await().atMost(Duration.ofSeconds(3)).until(() -> liveIds().size() == 2);

        long stoppedAt = System.nanoTime();
        crashing.abandon();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> liveIds().equals(List.of("edge-1")));
        Duration gone = Duration.ofNanos(System.nanoTime() - stoppedAt);
        System.out.printf("registry: a node that stopped beating left the view after %d ms (ttl %s)%n",
                gone.toMillis(), RegistryOptions.DEFAULT_TTL);
        // It lived on until its record expired (it did not deregister), and then was dropped from the index too.
        assertTrue(gone.toMillis() >= 1000, "gone after " + gone);
        await().atMost(Duration.ofSeconds(2))
                .until(() -> RedisCli.lines(redis.port(), "SMEMBERS", "sb:nodes").equals(List.of("edge-1")));
    }

    @Test
    void closeDeregistersAtOnce() {
        NodeRegistration r = register("edge-1", new AtomicInteger(), new AtomicBoolean());
        await().atMost(Duration.ofSeconds(3)).until(() -> liveIds().size() == 1);
        r.close();
        assertEquals("0", RedisCli.run(redis.port(), "EXISTS", "sb:nodes:edge-1").strip());
        await().atMost(Duration.ofSeconds(1)).until(() -> liveIds().isEmpty());
    }

    @Test
    void drainingNodesAreSeenAndExcludedFromPlacement() {
        AtomicBoolean draining = new AtomicBoolean();
        NodeRegistration one = register("edge-1", new AtomicInteger(), draining);
        register("edge-2", new AtomicInteger(), new AtomicBoolean());
        register("edge-3", new AtomicInteger(), new AtomicBoolean());
        await().atMost(Duration.ofSeconds(3)).until(() -> liveIds().size() == 3);
        Placement placement = new Placement(Placement.DEFAULT_LOAD_FACTOR, Placement.DEFAULT_MIN_SHARE);
        // An organisation whose first choice is edge-1.
        String org = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "org-" + i)
                .filter(o -> placement.order(o, registry.snapshot().nodes()).get(0).nodeId().equals("edge-1"))
                .findFirst().orElseThrow();
        assertEquals("edge-1", placement.choose(org, registry.snapshot().nodes(), id -> 0, 2).orElseThrow().node().nodeId());

        draining.set(true);
        long flipped = System.nanoTime();
        one.beatNow();
        await().atMost(Duration.ofSeconds(2)).until(() -> registry.snapshot().nodes().get(0).draining());
        System.out.printf("registry: draining flag seen by the balancer %d ms after beatNow()%n",
                Duration.ofNanos(System.nanoTime() - flipped).toMillis());
        Placement.Choice c = placement.choose(org, registry.snapshot().nodes(), id -> 0, 2).orElseThrow();
        assertEquals(List.of("edge-2", "edge-3"), java.util.stream.Stream.concat(java.util.stream.Stream.of(c.node()),
                c.fallbacks().stream()).map(NodeInfo::nodeId).sorted().toList());
    }

    @Test
    void aForeignOrCorruptRecordIsSkipped() {
        register("edge-1", new AtomicInteger(), new AtomicBoolean());
        RedisCli.run(redis.port(), "SADD", "sb:nodes", "edge-9", "edge-8");
        RedisCli.run(redis.port(), "SET", "sb:nodes:edge-9", "not json", "PX", "5000");
        RedisCli.run(redis.port(), "SET", "sb:nodes:edge-8",
                "{\"node_id\":\"edge-1\",\"url\":\"ws://evil/ws\",\"connections\":0,\"capacity\":5}", "PX", "5000");
        registry.refresh().toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(3)).until(() -> liveIds().equals(List.of("edge-1")));
        assertEquals("ws://edge-1.test:8080/ws", registry.snapshot().nodes().get(0).url());
    }
}
