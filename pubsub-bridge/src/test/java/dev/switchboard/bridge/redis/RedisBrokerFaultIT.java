package dev.switchboard.bridge.redis;

import static dev.switchboard.bridge.redis.RecordingHandler.bytes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bridge.BrokerUnavailableException;
import dev.switchboard.bridge.WriterThreadBroker;
import dev.switchboard.testing.RedisCli;
import dev.switchboard.testing.RedisServerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Kills the test's own redis-server under traffic and brings it back on the same port. */
class RedisBrokerFaultIT {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
    private RedisServerProcess redis;
    private RedisBroker broker;

    @AfterEach
    void tearDown() throws InterruptedException {
        traffic.shutdownNow();
        traffic.awaitTermination(5, TimeUnit.SECONDS);
        if (broker != null) {
            broker.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /**
     * A Redis that stops answering (here paused) leaves publishes in flight until their command timeout: what waits
     * for it is bounded by bytes, not only by count, so a node publishing large payloads cannot queue gigabytes.
     */
    @Test
    void publishesWaitingOnAStalledRedisAreBoundedByTheirBytes() throws Exception {
        redis = new RedisServerProcess().start();
        broker = RedisBroker.connect(redis.uri(), RedisBrokerOptions.builder().commandTimeout(Duration.ofSeconds(10)).build(), registry);
        WriterThreadBroker writer = new WriterThreadBroker(broker, "test-writer", 100_000, 4L << 20);
        byte[] mib = new byte[1 << 20];
        writer.publish("acme/a", mib).get(5, TimeUnit.SECONDS); // answered: nothing stays counted
        RedisCli.run(redis.port(), "CLIENT", "PAUSE", "3000", "ALL");
        List<CompletableFuture<Void>> stalled = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stalled.add(writer.publish("acme/a", mib));
        }
        ExecutionException over = assertThrows(ExecutionException.class, () -> writer.publish("acme/a", new byte[1]).get(1, TimeUnit.SECONDS));
        assertInstanceOf(BrokerUnavailableException.class, over.getCause());
        assertTrue(over.getCause().getMessage().contains("4194304 bytes"), over.getCause().getMessage());
        for (CompletableFuture<Void> f : stalled) {
            f.get(10, TimeUnit.SECONDS); // the pause ends: the four go out
        }
        writer.publish("acme/a", mib).get(5, TimeUnit.SECONDS); // and there is room again
        // One message larger than the bound still goes when nothing waits (its size is the callers' business).
        writer.publish("acme/a", new byte[5 << 20]).get(5, TimeUnit.SECONDS);
        writer.close();
        broker = null;
    }

    @Test
    void failsFastWhileRedisIsDownThenResubscribesAndResumes() throws Exception {
        redis = new RedisServerProcess().start();
        int port = redis.port();
        RedisBrokerOptions options = RedisBrokerOptions.builder()
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .commandTimeout(Duration.ofMillis(300))
                .build();
        broker = RedisBroker.connect(redis.uri(), options, registry);
        RecordingHandler handler = new RecordingHandler();
        broker.setHandler(handler);
        broker.subscribe("acme/a").get(5, TimeUnit.SECONDS);
        broker.subscribe("acme/b").get(5, TimeUnit.SECONDS);

        // Traffic: a publish every 2 ms, each result recorded with how long it took.
        List<CompletableFuture<Void>> published = new CopyOnWriteArrayList<>();
        AtomicInteger slowFailures = new AtomicInteger();
        traffic.scheduleAtFixedRate(() -> {
            long start = System.nanoTime();
            CompletableFuture<Void> f = broker.publish("acme/a", bytes("tick"));
            f.whenComplete((v, err) -> {
                if (err != null && System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(900)) {
                    slowFailures.incrementAndGet();
                }
            });
            published.add(f);
        }, 0, 2, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> handler.messages.size() >= 20);

        redis.kill();
        await().atMost(Duration.ofSeconds(5)).until(() -> handler.disconnects.get() == 1);
        assertFalse(broker.isAvailable());
        assertEquals(0.0, registry.get("switchboard.broker.connected").gauge().value());

        long start = System.nanoTime();
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> broker.publish("acme/a", bytes("lost")).get(2, TimeUnit.SECONDS));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertInstanceOf(BrokerUnavailableException.class, failed.getCause());
        assertTrue(tookMillis < 100, "a publish during the outage failed after " + tookMillis + " ms");

        // Interest changes during the outage are not lost: one more channel, one less.
        CompletableFuture<Void> subscribedDuringOutage = broker.subscribe("acme/c");
        broker.unsubscribe("acme/b");
        Thread.sleep(300); // the outage's length is the fault injected: the changes wait through it

        redis.start(); // same port, same directory
        await().atMost(Duration.ofSeconds(10)).until(() -> !handler.resubscribed.isEmpty());
        assertEquals(Set.of("acme/a", "acme/c"), handler.resubscribed.get(0));
        assertTrue(broker.isAvailable());
        subscribedDuringOutage.exceptionally(e -> null).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> RedisCli.lines(port, "PUBSUB", "CHANNELS", "sb:*")
                .stream().sorted().toList().equals(List.of("sb:acme/a", "sb:acme/c")));

        assertEquals(1.0, registry.get("switchboard.broker.connected").gauge().value());
        assertEquals(2.0, registry.get("switchboard.broker.subscriptions").gauge().value());
        // Lettuce resubscribed by itself what it had confirmed, acme/b included (its UNSUBSCRIBE was
        // rejected during the outage); the broker took acme/b back with one UNSUBSCRIBE.
        assertEquals("1", commandCalls(port, "unsubscribe"));

        // Traffic resumes on its own; nothing published before the restart hung.
        int before = handler.messages.size();
        await().atMost(Duration.ofSeconds(5)).until(() -> handler.messages.size() > before + 20);
        traffic.shutdownNow();
        traffic.awaitTermination(5, TimeUnit.SECONDS);
        CompletableFuture.allOf(published.toArray(CompletableFuture[]::new))
                .exceptionally(e -> null).get(2, TimeUnit.SECONDS);
        assertEquals(0, slowFailures.get(), "publishes that took more than 900 ms to fail");
        assertTrue(published.stream().anyMatch(CompletableFuture::isCompletedExceptionally),
                "some publishes fell into the outage");
        assertEquals(1.0, registry.get("switchboard.broker.reconnects").counter().count());
        assertTrue(registry.get("switchboard.broker.publish.failures").counter().count() > 0);
    }

    private static String commandCalls(int port, String command) {
        for (String line : RedisCli.lines(port, "INFO", "commandstats")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                return line.substring(line.indexOf('=') + 1, line.indexOf(','));
            }
        }
        return "0";
    }
}
