package dev.switchboard.bridge.redis;

import static dev.switchboard.bridge.redis.RecordingHandler.bytes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bridge.Broker;
import dev.switchboard.testing.RedisCli;
import dev.switchboard.testing.RedisServerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShardedRedisBrokerIT {
    private RedisServerProcess first;
    private RedisServerProcess second;
    private final List<Broker> brokers = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        first = new RedisServerProcess().start();
        second = new RedisServerProcess().start();
    }

    @AfterEach
    void stop() {
        brokers.forEach(Broker::close);
        first.close();
        second.close();
    }

    private ShardedRedisBroker broker(RecordingHandler handler, String spec) {
        // Brokers.create wraps the sharded broker (PersonalBuckets, LocalFirstBroker, WriterThreadBroker); these tests look inside it.
        ShardedRedisBroker broker = ShardedRedisBroker.connect(BrokerSpec.parse(spec).addresses(),
                RedisBrokerOptions.defaults(), new SimpleMeterRegistry());
        brokers.add(broker);
        broker.setHandler(handler);
        return broker;
    }

    @Test
    void spreadsChannelsOverTheInstancesAndDeliversEachOnce() throws Exception {
        RecordingHandler receiver = new RecordingHandler();
        ShardedRedisBroker a = broker(new RecordingHandler(), first.uri() + "," + second.uri());
        // The other node lists the instances in the other order: the same channel still lands on the same one.
        ShardedRedisBroker b = broker(receiver, second.uri() + "," + first.uri());

        List<String> channels = new ArrayList<>();
        List<CompletableFuture<Void>> subscribed = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            channels.add("org" + i + "/general");
            subscribed.add(b.subscribe("org" + i + "/general"));
        }
        CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        Set<String> onFirst = new HashSet<>(RedisCli.lines(first.port(), "PUBSUB", "CHANNELS", "sb:*"));
        Set<String> onSecond = new HashSet<>(RedisCli.lines(second.port(), "PUBSUB", "CHANNELS", "sb:*"));
        assertTrue(!onFirst.isEmpty() && !onSecond.isEmpty(), "both instances hold some of the 40 channels");
        assertEquals(40, onFirst.size() + onSecond.size(), "no channel is subscribed on both");
        for (String channel : channels) {
            String owner = a.shardFor(channel).describe();
            assertEquals(owner, b.shardFor(channel).describe(), "both nodes agree on the owner of " + channel);
            Set<String> expected = owner.equals(first.uri()) ? onFirst : onSecond;
            assertTrue(expected.contains("sb:" + channel), channel + " is subscribed where it is owned");
        }

        for (String channel : channels) {
            a.publish(channel, bytes("hi")).get(5, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.messages.size() >= 40);
        b.subscribe("marker").get(5, TimeUnit.SECONDS);
        a.publish("marker", bytes("end")).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.messages.contains("marker=end"));
        assertEquals(41, receiver.messages.size(), "every message arrived exactly once");
    }
}
