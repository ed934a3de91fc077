package dev.switchboard.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.PersonalBuckets;
import dev.switchboard.bridge.redis.Brokers;
import dev.switchboard.bridge.redis.RedisBrokerOptions;
import dev.switchboard.client.ServerApiClient;
import dev.switchboard.edge.EdgeFixture.Recorder;
import dev.switchboard.testing.NoBlockingOnEventLoops;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.testing.RedisCli;
import dev.switchboard.testing.RedisClusterProcess;
import dev.switchboard.testing.RedisServerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Several edge nodes (real servers, real sockets) fanning out through a real Redis or Redis Cluster. */
@ExtendWith(NoBlockingOnEventLoops.class)
class RedisFleetIT {
    static final String PREFIX = "sbit:";
    static final Duration WAIT = Duration.ofSeconds(15);
    @AutoClose
    final EdgeFixture fx = new EdgeFixture();

    EdgeServer node(String id, String redisSpec) throws InterruptedException {
        Broker broker = fx.own(Brokers.create(redisSpec, RedisBrokerOptions.builder().keyPrefix(PREFIX).build(),
                new SimpleMeterRegistry()));
        return fx.start(EdgeFixture.options().nodeId(id).build(), broker);
    }

    @Test
    void threeNodesOnOneRedisDeliverExactlyOnceAndSubscribeOnlyWhereNeeded() throws Exception {
        RedisServerProcess redis = fx.own(new RedisServerProcess().start());
        EdgeServer n1 = node("n1", redis.uri());
        EdgeServer n2 = node("n2", redis.uri());
        EdgeServer n3 = node("n3", redis.uri());
        Recorder publisher = fx.connect(n1, "p", "acme");
        Recorder b = fx.connect(n2, "b", "acme");
        Recorder c = fx.connect(n3, "c", "acme");
        b.client.subscribe("acme/fleet").join();
        c.client.subscribe("acme/fleet").join();

        for (int i = 0; i < 20; i++) {
            publisher.client.publish("acme/fleet", ("m" + i).getBytes(StandardCharsets.UTF_8)).join();
        }
        for (Recorder r : List.of(b, c)) {
            for (int i = 0; i < 20; i++) {
                assertEquals("m" + i, r.next().getPayload().toStringUtf8());
            }
        }
        // Absence: nothing may arrive for 200 ms (a late delivery would show by then).
        await().during(Duration.ofMillis(200)).atMost(Duration.ofMillis(2200)).until(() -> b.publications.isEmpty() && c.publications.isEmpty() && publisher.publications.isEmpty());
        assertNull(b.publications.poll(), "delivered twice");
        assertNull(c.publications.poll(), "delivered twice");
        assertNull(publisher.publications.poll());

        // Two nodes hold the Redis subscription; the publisher's node, with no subscriber, holds none.
        assertEquals(List.of(PREFIX + "acme/fleet", "2"), RedisCli.lines(redis.port(), "PUBSUB", "NUMSUB", PREFIX + "acme/fleet"));
        assertEquals(0, n1.hub().localSubscribers("acme/fleet"));

        b.client.unsubscribe("acme/fleet").join();
        c.client.unsubscribe("acme/fleet").join();
        await("the last local unsubscribe releases the Redis subscription after the linger").atMost(WAIT)
                .until(() -> RedisCli.lines(redis.port(), "PUBSUB", "CHANNELS", PREFIX + "acme/fleet").isEmpty());
    }

    @Test
    void threeNodesOnRedisClusterUseShardedPubSub() throws Exception {
        RedisClusterProcess cluster = fx.own(RedisClusterProcess.start(3));
        EdgeServer n1 = node("c1", cluster.uri());
        EdgeServer n2 = node("c2", cluster.uri());
        EdgeServer n3 = node("c3", cluster.uri());
        Recorder publisher = fx.connect(n1, "p", "acme");
        Recorder b = fx.connect(n2, "b", "acme");
        Recorder c = fx.connect(n3, "c", "acme");
        b.client.subscribe("acme/sharded").join();
        c.client.subscribe("acme/sharded").join();
        publisher.client.publish("acme/sharded", "hi".getBytes(StandardCharsets.UTF_8)).join();
        assertEquals("hi", b.next().getPayload().toStringUtf8());
        assertEquals("hi", c.next().getPayload().toStringUtf8());
        // Absence: nothing may arrive for 200 ms (a late delivery would show by then).
        await().during(Duration.ofMillis(200)).atMost(Duration.ofMillis(2200)).until(() -> b.publications.isEmpty() && c.publications.isEmpty());
        assertNull(b.publications.poll());
        assertNull(c.publications.poll());

        int owner = cluster.portOwning(PREFIX + "acme/sharded");
        assertEquals(List.of(PREFIX + "acme/sharded", "2"),
                RedisCli.lines(owner, "PUBSUB", "SHARDNUMSUB", PREFIX + "acme/sharded"));
        b.client.unsubscribe("acme/sharded").join();
        c.client.unsubscribe("acme/sharded").join();
        await("no shard subscription without local interest").atMost(WAIT)
                .until(() -> RedisCli.lines(owner, "PUBSUB", "SHARDCHANNELS", PREFIX + "acme/sharded").isEmpty());
    }

    @Test
    void aPushToAUserCrossesTheClusterOnItsBucketAndReachesOnlyThatUser() throws Exception {
        RedisClusterProcess cluster = fx.own(RedisClusterProcess.start(3));
        EdgeServer n1 = node("b1", cluster.uri());
        EdgeServer n2 = node("b2", cluster.uri());
        EdgeServer n3 = node("b3", cluster.uri());
        String neighbour = sameBucketAs("ann");
        Recorder phone = fx.connect(n2, "ann", "acme");
        Recorder laptop = fx.connect(n3, "ann", "acme");
        Recorder other = fx.connect(n3, neighbour, "acme");
        ServerApiClient api = new ServerApiClient(URI.create("http://127.0.0.1:" + n1.apiPort()), EdgeFixture.API_KEY);

        api.publishToUser("acme", "ann", Map.of("kind", "ping")).get(10, TimeUnit.SECONDS);

        assertEquals("acme/#ann", phone.next().getChannel());
        assertEquals("acme/#ann", laptop.next().getChannel());
        // Absence: nothing may arrive for 200 ms (a late delivery would show by then).
        await().during(Duration.ofMillis(200)).atMost(Duration.ofMillis(2200)).until(() -> other.publications.isEmpty()
                && phone.publications.isEmpty() && laptop.publications.isEmpty());
        assertNull(other.publications.poll(), "a push for ann reached another user of her bucket");
        assertNull(phone.publications.poll(), "delivered twice");
        // Both nodes of the bucket hold its one sharded subscription; nobody holds a per-user channel.
        String bucket = PREFIX + "acme/~" + PersonalBuckets.bucket("ann");
        int owner = cluster.portOwning(bucket);
        assertEquals(List.of(bucket, "2"), RedisCli.lines(owner, "PUBSUB", "SHARDNUMSUB", bucket));
        for (RedisServerProcess node : cluster.nodes()) {
            assertTrue(RedisCli.lines(node.port(), "PUBSUB", "SHARDCHANNELS", PREFIX + "acme/#*").isEmpty());
        }

        // A client cannot name a bucket: neither to read the pushes of its bucket's users nor to forge one.
        String bucketName = "acme/~" + PersonalBuckets.bucket("ann");
        assertEquals(ErrorCode.BAD_REQUEST, EdgeServerIT.failure(other.client.subscribe(bucketName)).code());
        assertEquals(ErrorCode.BAD_REQUEST, EdgeServerIT.failure(other.client.publish(bucketName,
                "forged".getBytes(StandardCharsets.UTF_8))).code());
        assertNull(phone.publications.poll(1, TimeUnit.SECONDS), "a forged push reached ann");
    }

    /** Another user id in the same personal-channel bucket as {@code user}. */
    private static String sameBucketAs(String user) {
        for (int i = 0; ; i++) {
            if (PersonalBuckets.bucket("user" + i) == PersonalBuckets.bucket(user)) {
                return "user" + i;
            }
        }
    }

    @Test
    void redisOutageFailsPublishesFastKeepsLocalFanOutAndSignalsMissedMessages() throws Exception {
        RedisServerProcess redis = fx.own(new RedisServerProcess().start());
        EdgeServer n1 = node("f1", redis.uri());
        EdgeServer n2 = node("f2", redis.uri());
        Recorder local = fx.connect(n1, "l", "acme");
        Recorder remote = fx.connect(n2, "r", "acme");
        Recorder publisher = fx.connect(n1, "p", "acme");
        local.client.subscribe("acme/ops").join();
        remote.client.subscribe("acme/ops").join();
        publisher.client.publish("acme/ops", "before".getBytes(StandardCharsets.UTF_8)).join();
        assertEquals("before", local.next().getPayload().toStringUtf8());
        assertEquals("before", remote.next().getPayload().toStringUtf8());

        redis.kill();
        long start = System.nanoTime();
        var failed = EdgeServerIT.failure(publisher.client.publish("acme/ops", "during".getBytes(StandardCharsets.UTF_8)));
        assertEquals(dev.switchboard.wire.ErrorCode.UNAVAILABLE, failed.code());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 2000, "publish must fail fast");
        assertEquals("during", local.next().getPayload().toStringUtf8(), "local fan-out works without Redis");

        fx.own(new RedisServerProcess(redis.port()).start());
        for (Recorder r : List.of(local, remote)) {
            // Every resubscribed channel is signalled (the personal channel too); look for acme/ops.
            boolean signalled = false;
            for (var push = r.pushes.poll(20, TimeUnit.SECONDS); push != null && !signalled; push = r.pushes.poll(5, TimeUnit.SECONDS)) {
                signalled = push.hasMayHaveMissed() && push.getMayHaveMissed().getChannel().equals("acme/ops");
            }
            assertTrue(signalled, "no may-have-missed signal for acme/ops");
        }
        await("publishes work again").atMost(WAIT).until(() -> {
            try {
                publisher.client.publish("acme/ops", "after".getBytes(StandardCharsets.UTF_8)).get(2, TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals("after", remote.next().getPayload().toStringUtf8());
    }
}
