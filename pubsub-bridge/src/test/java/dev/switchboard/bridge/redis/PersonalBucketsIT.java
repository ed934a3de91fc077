package dev.switchboard.bridge.redis;

import static dev.switchboard.bridge.redis.RecordingHandler.bytes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.PersonalBuckets;
import dev.switchboard.bridge.PersonalChannels;
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
import org.junit.jupiter.api.Test;

/**
 * Personal channels on bucket channels (ADR 0019) between processes on one real Redis: each process is a broker of
 * its own, as {@code Brokers.create} builds it for an edge or a message-service.
 */
class PersonalBucketsIT {
    private final RedisServerProcess redis = new RedisServerProcess().start();
    private final List<Broker> brokers = new ArrayList<>();

    @AfterEach
    void stop() {
        brokers.forEach(Broker::close);
        redis.close();
    }

    private Broker node(RecordingHandler handler, PersonalChannels mode, SimpleMeterRegistry registry) {
        RedisBrokerOptions options = RedisBrokerOptions.builder().personalChannels(mode)
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200)).build();
        Broker broker = Brokers.create(redis.uri(), options, registry);
        brokers.add(broker);
        broker.setHandler(handler);
        return broker;
    }

    private Broker node(RecordingHandler handler, PersonalChannels mode) {
        return node(handler, mode, new SimpleMeterRegistry());
    }

    private List<String> redisChannels() {
        return RedisCli.lines(redis.port(), "PUBSUB", "CHANNELS", "sb:*");
    }

    @Test
    void aThousandUsersShareTheBucketsAndEachGetsOnlyItsOwnPushes() throws Exception {
        RecordingHandler onA = new RecordingHandler();
        RecordingHandler onB = new RecordingHandler();
        SimpleMeterRegistry metricsOfB = new SimpleMeterRegistry();
        Broker a = node(onA, PersonalChannels.BUCKETS);
        Broker b = node(onB, PersonalChannels.BUCKETS, metricsOfB);
        Broker publisher = node(new RecordingHandler(), PersonalChannels.BUCKETS);

        List<CompletableFuture<Void>> subscribed = new ArrayList<>();
        Set<String> buckets = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            subscribed.add(a.subscribe("acme/#u" + i));
            buckets.add("sb:acme/~" + PersonalBuckets.bucket("u" + i));
        }
        // Node B holds one user, in the same bucket as u0 (and so as every user of that bucket on node A).
        String userOfB = sameBucketAs("u0");
        b.subscribe("acme/#" + userOfB).get(5, TimeUnit.SECONDS);
        CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertEquals(buckets, new HashSet<>(redisChannels()));
        assertEquals(PersonalBuckets.BUCKETS, buckets.size());

        for (int i = 0; i < 1000; i++) {
            publisher.publish("acme/#u" + i, bytes("push" + i)).get(5, TimeUnit.SECONDS);
        }
        publisher.publish("acme/#" + userOfB, bytes("for B")).get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> onA.messages.size() >= 1000 && !onB.messages.isEmpty());
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            expected.add("acme/#u" + i + "=push" + i);
        }
        assertEquals(expected, new HashSet<>(onA.messages));
        assertEquals(1000, onA.messages.size());
        assertEquals(List.of("acme/#" + userOfB + "=for B"), onB.messages);
        long sharingBucket = java.util.stream.IntStream.range(0, 1000)
                .filter(i -> PersonalBuckets.bucket("u" + i) == PersonalBuckets.bucket(userOfB)).count();
        assertEquals((double) sharingBucket, metricsOfB.get("switchboard.broker.personal.dropped")
                .tag("reason", "not-here").counter().count());
    }

    @Test
    void theLastUserOfABucketToLeaveTakesItsSubscriptionWithIt() throws Exception {
        RecordingHandler got = new RecordingHandler();
        Broker node = node(got, PersonalChannels.BUCKETS);
        String other = sameBucketAs("u1");
        node.subscribe("acme/#u1").get(5, TimeUnit.SECONDS);
        node.subscribe("acme/#" + other).get(5, TimeUnit.SECONDS);
        String bucket = "sb:acme/~" + PersonalBuckets.bucket("u1");
        assertEquals(List.of(bucket), redisChannels());

        node.unsubscribe("acme/#u1").get(5, TimeUnit.SECONDS);
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5)).until(() -> redisChannels().equals(List.of(bucket)));
        Broker publisher = node(new RecordingHandler(), PersonalChannels.BUCKETS);
        publisher.publish("acme/#u1", bytes("gone")).get(5, TimeUnit.SECONDS);
        publisher.publish("acme/#" + other, bytes("still here")).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> !got.messages.isEmpty());
        assertEquals(List.of("acme/#" + other + "=still here"), got.messages);

        node.unsubscribe("acme/#" + other).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> redisChannels().isEmpty());
    }

    /**
     * A rolling upgrade: at each step the fleet holds processes of that step's mode and of the one before. Every push,
     * from another process or from the subscriber's own, arrives exactly once.
     */
    @Test
    void everyPushArrivesOnceBetweenNeighbouringStepsOfAnUpgrade() throws Exception {
        PersonalChannels[] steps = PersonalChannels.values();
        int user = 0;
        for (int step = 1; step < steps.length; step++) {
            for (PersonalChannels publisherMode : List.of(steps[step - 1], steps[step])) {
                for (PersonalChannels subscriberMode : List.of(steps[step - 1], steps[step])) {
                    String channel = "acme/#m" + user++;
                    String label = publisherMode + " -> " + subscriberMode;
                    RecordingHandler got = new RecordingHandler();
                    Broker subscriber = node(got, subscriberMode);
                    subscriber.subscribe(channel).get(5, TimeUnit.SECONDS);
                    subscriber.subscribe("acme/marker").get(5, TimeUnit.SECONDS);
                    Broker publisher = node(new RecordingHandler(), publisherMode);

                    publisher.publish(channel, bytes("remote")).get(5, TimeUnit.SECONDS);
                    publisher.publish("acme/marker", bytes("end")).get(5, TimeUnit.SECONDS);
                    // One publisher, one connection: Redis delivers in order, so the marker comes after every copy.
                    await().atMost(Duration.ofSeconds(5)).until(() -> got.messages.contains("acme/marker=end"));
                    assertEquals(List.of(channel + "=remote", "acme/marker=end"), got.messages, label);

                    got.messages.clear();
                    subscriber.publish(channel, bytes("own")).get(5, TimeUnit.SECONDS);
                    subscriber.publish("acme/marker", bytes("end")).get(5, TimeUnit.SECONDS);
                    // Both reach the node at once (local first); copies back from Redis would follow the marker's.
                    publisher.publish("acme/marker", bytes("after")).get(5, TimeUnit.SECONDS);
                    await().atMost(Duration.ofSeconds(5)).until(() -> got.messages.contains("acme/marker=after"));
                    assertEquals(List.of(channel + "=own", "acme/marker=end", "acme/marker=after"), got.messages,
                            label + " (own)");
                    subscriber.close();
                    publisher.close();
                }
            }
        }
    }

    @Test
    void aPublisherTwoStepsBehindIsNotHeardWhichIsWhyTheUpgradeHasSteps() throws Exception {
        RecordingHandler got = new RecordingHandler();
        Broker subscriber = node(got, PersonalChannels.BUCKETS);
        subscriber.subscribe("acme/#u1").get(5, TimeUnit.SECONDS);
        subscriber.subscribe("acme/marker").get(5, TimeUnit.SECONDS);
        Broker old = node(new RecordingHandler(), PersonalChannels.USERS);

        old.publish("acme/#u1", bytes("lost")).get(5, TimeUnit.SECONDS);
        old.publish("acme/marker", bytes("end")).get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> got.messages.contains("acme/marker=end"));
        assertEquals(List.of("acme/marker=end"), got.messages);
    }

    @Test
    void afterARedisRestartTheResubscribedBucketsNameTheirUsers() throws Exception {
        RecordingHandler got = new RecordingHandler();
        Broker node = node(got, PersonalChannels.BUCKETS);
        String[] channels = {"acme/#u1", "acme/#" + sameBucketAs("u1"), "acme/#alice", "acme/general"};
        for (String channel : channels) {
            node.subscribe(channel).get(5, TimeUnit.SECONDS);
        }

        redis.kill();
        await().atMost(Duration.ofSeconds(5)).until(() -> got.disconnects.get() == 1);
        redis.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !got.resubscribed.isEmpty());

        assertEquals(Set.of(channels), got.resubscribed.get(0));
        Broker publisher = node(new RecordingHandler(), PersonalChannels.BUCKETS);
        publisher.publish("acme/#alice", bytes("back")).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> got.messages.contains("acme/#alice=back"));
    }

    @Test
    void aUserWhoArrivesWhileRedisIsDownGetsPushesOnceItIsBack() throws Exception {
        RecordingHandler got = new RecordingHandler();
        Broker node = node(got, PersonalChannels.BUCKETS);
        node.subscribe("acme/marker").get(5, TimeUnit.SECONDS);

        redis.kill();
        await().atMost(Duration.ofSeconds(5)).until(() -> got.disconnects.get() == 1);
        CompletableFuture<Void> duringOutage = node.subscribe("acme/#u1");
        assertTrue(node.publish("acme/#u2", bytes("refused")).handle((v, e) -> e != null).get(5, TimeUnit.SECONDS),
                "a push while Redis is down fails fast instead of queueing");
        redis.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> got.resubscribed.stream().anyMatch(s -> s.contains("acme/#u1")));
        // Whatever the outage did to the first subscribe, the user's next one (a new session) is answered at once.
        duringOutage.exceptionally(e -> null).get(5, TimeUnit.SECONDS);
        node.subscribe("acme/#u1").get(5, TimeUnit.SECONDS);
        Broker publisher = node(new RecordingHandler(), PersonalChannels.BUCKETS);
        publisher.publish("acme/#u1", bytes("back")).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> got.messages.contains("acme/#u1=back"));
        assertEquals(List.of("sb:acme/marker", "sb:acme/~" + PersonalBuckets.bucket("u1")),
                redisChannels().stream().sorted().toList());
    }

    @Test
    void somethingElsePublishedOnABucketIsCountedAndDropped() throws Exception {
        RecordingHandler got = new RecordingHandler();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Broker node = node(got, PersonalChannels.BUCKETS, registry);
        node.subscribe("acme/#u1").get(5, TimeUnit.SECONDS);
        node.subscribe("acme/marker").get(5, TimeUnit.SECONDS);

        String bucket = "sb:acme/~" + PersonalBuckets.bucket("u1");
        RedisCli.run(redis.port(), "PUBLISH", bucket, "not a bucket message");
        RedisCli.run(redis.port(), "PUBLISH", "sb:acme/marker", "end");

        await().atMost(Duration.ofSeconds(5)).until(() -> got.messages.contains("acme/marker=end"));
        assertEquals(List.of("acme/marker=end"), got.messages);
        assertEquals(1.0, registry.get("switchboard.broker.personal.dropped").tag("reason", "malformed").counter().count());
        assertTrue(node.isAvailable());
    }

    /** Another user id in the same bucket as {@code user}. */
    private static String sameBucketAs(String user) {
        int want = PersonalBuckets.bucket(user);
        for (int i = 0; ; i++) {
            if (PersonalBuckets.bucket("other" + i) == want) {
                return "other" + i;
            }
        }
    }
}
