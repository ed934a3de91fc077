package dev.switchboard.bridge.redis;

import static dev.switchboard.bridge.redis.RecordingHandler.bytes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.RedisCli;
import dev.switchboard.testing.RedisClusterProcess;
import dev.switchboard.testing.RedisServerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisClusterBrokerIT {
    private static RedisClusterProcess cluster;

    private final List<RedisClusterBroker> brokers = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcess.start(3);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void closeBrokers() {
        brokers.forEach(RedisClusterBroker::close);
    }

    private RedisClusterBroker broker(RecordingHandler handler) {
        // Brokers.create wraps the cluster broker (PersonalBuckets, LocalFirstBroker, WriterThreadBroker); these tests look inside it.
        RedisClusterBroker broker = RedisClusterBroker.connect(BrokerSpec.parse(cluster.uri()).addresses(),
                RedisBrokerOptions.defaults(), new SimpleMeterRegistry());
        brokers.add(broker);
        broker.setHandler(handler);
        return broker;
    }

    private static List<String> shardChannels(int port) {
        return RedisCli.lines(port, "PUBSUB", "SHARDCHANNELS", "sb:*");
    }

    @Test
    void deliversFromOneNodeToTheOtherThroughTheOwningShard() throws Exception {
        RecordingHandler first = new RecordingHandler();
        RecordingHandler second = new RecordingHandler();
        RedisClusterBroker a = broker(first);
        RedisClusterBroker b = broker(second);
        int owner = cluster.portOwning("sb:acme/general");

        b.subscribe("acme/general").get(5, TimeUnit.SECONDS);
        assertEquals(List.of("sb:acme/general"), shardChannels(owner));
        for (RedisServerProcess node : cluster.nodes()) {
            if (node.port() != owner) {
                assertEquals(List.of(), shardChannels(node.port()), "only the owner holds the subscription");
            }
        }

        a.publish("acme/general", bytes("m1")).get(5, TimeUnit.SECONDS);
        a.publish("acme/general", bytes("m2")).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> second.messages.size() >= 2);
        b.subscribe("marker").get(5, TimeUnit.SECONDS);
        a.publish("marker", bytes("end")).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> second.messages.contains("marker=end"));
        assertEquals(List.of("acme/general=m1", "acme/general=m2", "marker=end"), second.messages);
        assertTrue(first.messages.isEmpty());

        b.unsubscribe("acme/general").get(5, TimeUnit.SECONDS);
        b.unsubscribe("marker").get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), shardChannels(owner));
    }

    @Test
    void subscribesChannelsOfManySlotsInOneBatch() throws Exception {
        RecordingHandler receiver = new RecordingHandler();
        RedisClusterBroker a = broker(new RecordingHandler());
        RedisClusterBroker b = broker(receiver);
        List<String> channels = new ArrayList<>();
        List<CompletableFuture<Void>> subscribed = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            channels.add("org" + i + "/general");
            subscribed.add(b.subscribe("org" + i + "/general"));
        }
        CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        Set<String> held = cluster.nodes().stream().flatMap(n -> shardChannels(n.port()).stream())
                .collect(Collectors.toSet());
        assertEquals(channels.stream().map(c -> "sb:" + c).collect(Collectors.toSet()), held);
        for (RedisServerProcess node : cluster.nodes()) {
            assertTrue(!shardChannels(node.port()).isEmpty(), "60 channels spread over all 3 masters");
        }
        for (String channel : channels) {
            a.publish(channel, bytes("hi")).get(5, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.messages.size() == 60);
    }

    @Test
    void followsTheChannelWhenItsSlotMovesToAnotherMaster() throws Exception {
        RecordingHandler receiver = new RecordingHandler();
        RedisClusterBroker a = broker(new RecordingHandler());
        RedisClusterBroker b = broker(receiver);
        b.subscribe("acme/moving").get(5, TimeUnit.SECONDS);
        int from = cluster.portOwning("sb:acme/moving");
        int to = cluster.nodes().stream().mapToInt(RedisServerProcess::port).filter(p -> p != from).findFirst()
                .orElseThrow();

        moveEmptySlot(RedisCli.run(from, "CLUSTER", "KEYSLOT", "sb:acme/moving").strip(), from, to);

        await().atMost(Duration.ofSeconds(10)).until(() -> shardChannels(to).contains("sb:acme/moving"));
        assertEquals(List.of(), shardChannels(from));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            a.publish("acme/moving", bytes("after")).exceptionally(e -> null).get(5, TimeUnit.SECONDS);
            return receiver.messages.contains("acme/moving=after");
        });
    }

    /** Gives a slot without keys to another master (CLUSTER SETSLOT ... NODE on every master). */
    private static void moveEmptySlot(String slot, int from, int to) {
        String toId = RedisCli.run(to, "CLUSTER", "MYID").strip();
        String fromId = RedisCli.run(from, "CLUSTER", "MYID").strip();
        RedisCli.run(to, "CLUSTER", "SETSLOT", slot, "IMPORTING", fromId);
        RedisCli.run(from, "CLUSTER", "SETSLOT", slot, "MIGRATING", toId);
        RedisCli.run(to, "CLUSTER", "SETSLOT", slot, "NODE", toId);
        RedisCli.run(from, "CLUSTER", "SETSLOT", slot, "NODE", toId);
        for (RedisServerProcess node : cluster.nodes()) {
            if (node.port() != from && node.port() != to) {
                RedisCli.run(node.port(), "CLUSTER", "SETSLOT", slot, "NODE", toId);
            }
        }
        assertEquals(to, cluster.portOwning("sb:acme/moving"));
    }
}
