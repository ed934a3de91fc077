package dev.switchboard.bridge.redis;

import static dev.switchboard.bridge.redis.RecordingHandler.bytes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bridge.BrokerUnavailableException;
import dev.switchboard.testing.RedisCli;
import dev.switchboard.testing.RedisClusterProcess;
import dev.switchboard.testing.RedisServerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Kills one master of the test's own cluster and restarts it with its nodes.conf. */
class RedisClusterBrokerFaultIT {
    private RedisClusterProcess cluster;
    private RedisClusterBroker a;
    private RedisClusterBroker b;

    @AfterEach
    void tearDown() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void failsFastWhileAMasterIsDownThenResubscribesThere() throws Exception {
        cluster = RedisClusterProcess.start(3);
        List<String> seeds = cluster.nodes().stream().map(n -> "127.0.0.1:" + n.port()).toList();
        RedisBrokerOptions options = RedisBrokerOptions.builder()
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .commandTimeout(Duration.ofMillis(300))
                .build();
        a = RedisClusterBroker.connect(seeds, options, new SimpleMeterRegistry());
        b = RedisClusterBroker.connect(seeds, options, new SimpleMeterRegistry());
        RecordingHandler receiver = new RecordingHandler();
        b.setHandler(receiver);

        int victimPort = cluster.portOwning("sb:acme/general");
        RedisServerProcess victim = cluster.nodes().stream().filter(n -> n.port() == victimPort).findFirst()
                .orElseThrow();
        String elsewhere = channelNotOn(victimPort);
        b.subscribe("acme/general").get(5, TimeUnit.SECONDS);
        b.subscribe(elsewhere).get(5, TimeUnit.SECONDS);
        a.publish("acme/general", bytes("before")).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.messages.contains("acme/general=before"));

        victim.kill();
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.disconnects.get() == 1);
        assertFalse(b.isAvailable());
        long start = System.nanoTime();
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> a.publish("acme/general", bytes("lost")).get(2, TimeUnit.SECONDS));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertInstanceOf(BrokerUnavailableException.class, failed.getCause());
        assertTrue(tookMillis < 500, "a publish to the dead master failed after " + tookMillis + " ms");

        victim.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.resubscribed.isEmpty());
        assertEquals(Set.of("acme/general", elsewhere), receiver.resubscribed.get(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> RedisCli.lines(victimPort, "PUBSUB", "SHARDCHANNELS",
                "sb:*").contains("sb:acme/general"));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            a.publish("acme/general", bytes("after")).exceptionally(e -> null).get(5, TimeUnit.SECONDS);
            return receiver.messages.contains("acme/general=after");
        });
        assertTrue(b.isAvailable());
    }

    private String channelNotOn(int port) {
        for (int i = 0; ; i++) {
            String channel = "org" + i + "/general";
            if (cluster.portOwning("sb:" + channel) != port) {
                return channel;
            }
        }
    }
}
