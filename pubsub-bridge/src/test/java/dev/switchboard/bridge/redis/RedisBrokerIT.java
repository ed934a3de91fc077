package dev.switchboard.bridge.redis;

import static dev.switchboard.bridge.redis.RecordingHandler.bytes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bridge.BrokerHandler;
import dev.switchboard.testing.RedisCli;
import dev.switchboard.testing.RedisServerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisBrokerIT {
    private static RedisServerProcess redis;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<RedisBroker> brokers = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = new RedisServerProcess().start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void startClean() {
        // The brokers of the previous test are closed; Redis drops their subscriptions as it sees them go.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> RedisCli.lines(redis.port(), "PUBSUB", "CHANNELS", "sb:*").isEmpty());
        RedisCli.run(redis.port(), "CONFIG", "RESETSTAT");
    }

    @AfterEach
    void closeBrokers() {
        brokers.forEach(RedisBroker::close);
        registry.close();
    }

    private RedisBroker broker(RecordingHandler handler) {
        return broker(handler, RedisBrokerOptions.defaults(), registry);
    }

    private RedisBroker broker(RecordingHandler handler, RedisBrokerOptions options, MeterRegistry registry) {
        RedisBroker broker = RedisBroker.connect(redis.uri(), options, registry);
        brokers.add(broker);
        broker.setHandler(handler);
        return broker;
    }

    @Test
    void deliversAPublishToItsOwnSubscription() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        RedisBroker broker = broker(handler);

        broker.subscribe("acme/general").get(5, TimeUnit.SECONDS);
        broker.publish("acme/general", bytes("hello")).get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> handler.messages.contains("acme/general=hello"));
        assertEquals(List.of("sb:acme/general"), RedisCli.lines(redis.port(), "PUBSUB", "CHANNELS", "sb:*"));
        assertEquals(1.0, registry.get("switchboard.broker.messages.received").counter().count());
        assertEquals(1.0, registry.get("switchboard.broker.publishes").counter().count());
        assertEquals(1.0, registry.get("switchboard.broker.subscriptions").gauge().value());
        assertEquals(1.0, registry.get("switchboard.broker.connected").gauge().value());
        assertTrue(registry.get("switchboard.broker.last.message.age").gauge().value() < 5.0);
    }

    @Test
    void deliversAPublishFromOneNodeToTheOtherExactlyOnce() throws Exception {
        RecordingHandler first = new RecordingHandler();
        RecordingHandler second = new RecordingHandler();
        // Two nodes: each has its own registry, as each process would.
        RedisBroker a = broker(first);
        RedisBroker b = broker(second, RedisBrokerOptions.defaults(), new SimpleMeterRegistry());
        b.subscribe("acme/random").get(5, TimeUnit.SECONDS);
        // Subscribing twice is idempotent: still one Redis subscription, one delivery.
        b.subscribe("acme/random").get(5, TimeUnit.SECONDS);

        a.publish("acme/random", bytes("m1")).get(5, TimeUnit.SECONDS);
        a.publish("acme/random", bytes("m2")).get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> second.messages.size() >= 2);
        // A marker published after both must arrive after them; then nothing else may have come.
        b.subscribe("marker").get(5, TimeUnit.SECONDS);
        a.publish("marker", bytes("end")).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> second.messages.contains("marker=end"));
        assertEquals(List.of("acme/random=m1", "acme/random=m2", "marker=end"), second.messages);
        assertTrue(first.messages.isEmpty(), "the publisher has no interest, so receives nothing");
    }

    @Test
    void holdsNoRedisSubscriptionWithoutInterest() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        RedisBroker broker = broker(handler);
        broker.publish("acme/nobody", bytes("x")).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), RedisCli.lines(redis.port(), "PUBSUB", "CHANNELS", "sb:*"));

        broker.subscribe("acme/brief").get(5, TimeUnit.SECONDS);
        assertEquals(List.of("sb:acme/brief"), RedisCli.lines(redis.port(), "PUBSUB", "CHANNELS", "sb:*"));

        broker.unsubscribe("acme/brief").get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), RedisCli.lines(redis.port(), "PUBSUB", "CHANNELS", "sb:*"));
        assertEquals(0.0, registry.get("switchboard.broker.subscriptions").gauge().value());
    }

    @Test
    void sendsAThousandSubscribesInAFewCommands() throws Exception {
        // A window long enough that a loaded machine cannot split the loop into many windows, and a command
        // timeout long enough for Redis to answer 500 channels in one reply there (CI saw the default 500 ms
        // pass on an UNSUBSCRIBE at load 14): this counts commands, it does not time them.
        RedisBrokerOptions options = RedisBrokerOptions.builder().batchWindow(Duration.ofMillis(100))
                .commandTimeout(Duration.ofSeconds(10)).build();
        RedisBroker broker = broker(new RecordingHandler(), options, registry);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            all.add(broker.subscribe("acme/c" + i));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertEquals(1000, RedisCli.lines(redis.port(), "PUBSUB", "CHANNELS", "sb:acme/c*").size());
        long subscribeCalls = commandCalls("subscribe");
        assertTrue(subscribeCalls >= 2 && subscribeCalls <= 10,
                "1,000 subscriptions went out in " + subscribeCalls + " SUBSCRIBE commands");

        List<CompletableFuture<Void>> gone = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            gone.add(broker.unsubscribe("acme/c" + i));
        }
        CompletableFuture.allOf(gone.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(), RedisCli.lines(redis.port(), "PUBSUB", "CHANNELS", "sb:*"));
        long unsubscribeCalls = commandCalls("unsubscribe");
        assertTrue(unsubscribeCalls >= 2 && unsubscribeCalls <= 10,
                "1,000 unsubscriptions went out in " + unsubscribeCalls + " UNSUBSCRIBE commands");
    }

    @Test
    void subscribeAndUnsubscribeWithinOneWindowLeaveNothingSubscribed() throws Exception {
        RedisBroker broker = broker(new RecordingHandler());
        CompletableFuture<Void> sub = broker.subscribe("acme/flap");
        CompletableFuture<Void> unsub = broker.unsubscribe("acme/flap");
        sub.get(5, TimeUnit.SECONDS);
        unsub.get(5, TimeUnit.SECONDS);
        broker.subscribe("marker").get(5, TimeUnit.SECONDS);
        assertEquals(List.of("sb:marker"), RedisCli.lines(redis.port(), "PUBSUB", "CHANNELS", "sb:*"));
    }

    @Test
    void aThrowingHandlerDoesNotBreakTheBridge() throws Exception {
        RecordingHandler recorded = new RecordingHandler();
        RedisBroker broker = RedisBroker.connect(redis.uri(), RedisBrokerOptions.defaults(), new SimpleMeterRegistry());
        brokers.add(broker);
        broker.setHandler(new BrokerHandler() {
            @Override
            public void onMessage(String channel, byte[] message) {
                recorded.onMessage(channel, message);
                throw new IllegalStateException("a user callback fails");
            }
        });
        broker.subscribe("acme/fragile").get(5, TimeUnit.SECONDS);
        broker.publish("acme/fragile", bytes("1")).get(5, TimeUnit.SECONDS);
        broker.publish("acme/fragile", bytes("2")).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorded.messages.size() == 2);
        assertTrue(broker.isAvailable());
    }

    /** Calls of one command since the last CONFIG RESETSTAT, from INFO commandstats. */
    private static long commandCalls(String command) {
        for (String line : RedisCli.lines(redis.port(), "INFO", "commandstats")) {
            if (line.startsWith("cmdstat_" + command + ":")) {
                String calls = line.substring(line.indexOf("calls=") + 6);
                return Long.parseLong(calls.substring(0, calls.indexOf(',')));
            }
        }
        return 0;
    }
}
