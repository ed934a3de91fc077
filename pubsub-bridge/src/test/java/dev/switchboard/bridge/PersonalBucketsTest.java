package dev.switchboard.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bridge.memory.MemoryBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PersonalBucketsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void aUsersBucketIsFixedByTheWireFormat() {
        // Every process of a fleet, of every version with buckets, must pick the same bucket: these values are the
        // format. A change here is a wire change that needs its own rolling-upgrade plan.
        assertEquals(51, PersonalBuckets.bucket("u1"));
        assertEquals(39, PersonalBuckets.bucket("alice"));
        assertEquals(5, PersonalBuckets.bucket(""));
        assertEquals("acme/~39", PersonalBuckets.bucketChannel("acme/#alice"));
    }

    @Test
    void usersSpreadOverTheBuckets() {
        int[] counts = new int[PersonalBuckets.BUCKETS];
        for (int i = 0; i < 10_000; i++) {
            counts[PersonalBuckets.bucket("u" + i)]++;
        }
        for (int b = 0; b < counts.length; b++) {
            // 156 on average; a hash that left buckets empty or piled users into a few would fail this.
            assertTrue(counts[b] >= 100 && counts[b] <= 220, "bucket " + b + " holds " + counts[b]);
        }
    }

    @Test
    void aBucketIsSubscribedWhileOneOfItsUsersIs() {
        MemoryBroker memory = new MemoryBroker();
        PersonalBuckets broker = new PersonalBuckets(memory, PersonalChannels.BUCKETS, registry);
        broker.setHandler(new Recorder());
        String a = "acme/#u1";
        String b = sameBucketAs("acme", "u1");

        broker.subscribe(a).join();
        broker.subscribe(b).join();
        broker.subscribe(b).join(); // idempotent: counted once
        broker.subscribe("acme/general").join();
        assertEquals(Set.of("acme/~51", "acme/general"), memory.subscriptions());
        assertEquals(2.0, registry.get("switchboard.broker.personal.users").gauge().value());
        assertEquals(1.0, registry.get("switchboard.broker.personal.buckets").gauge().value());

        broker.unsubscribe(b).join();
        broker.unsubscribe(b).join();
        assertEquals(Set.of("acme/~51", "acme/general"), memory.subscriptions());
        broker.unsubscribe(a).join();
        assertEquals(Set.of("acme/general"), memory.subscriptions());
        assertEquals(0.0, registry.get("switchboard.broker.personal.buckets").gauge().value());
    }

    @Test
    void aPushReachesItsUserOnlyUnderTheUsersOwnChannel() {
        MemoryBroker memory = new MemoryBroker();
        PersonalBuckets broker = new PersonalBuckets(memory, PersonalChannels.BUCKETS, registry);
        Recorder got = new Recorder();
        broker.setHandler(got);
        String here = "acme/#u1";
        String elsewhere = sameBucketAs("acme", "u1");
        broker.subscribe(here).join();

        broker.publish(here, bytes("hi")).join();
        broker.publish(elsewhere, bytes("not for this node")).join();
        broker.publish("other/#u1", bytes("another organisation")).join();

        assertEquals(List.of("acme/#u1=hi"), got.messages);
        assertEquals(1.0, registry.get("switchboard.broker.personal.dropped").tag("reason", "not-here").counter().count());
    }

    @Test
    void aUserIdThatIsNotAsciiIsRefusedNotRewritten() {
        MemoryBroker memory = new MemoryBroker();
        PersonalBuckets broker = new PersonalBuckets(memory, PersonalChannels.BUCKETS, registry);
        Recorder got = new Recorder();
        broker.setHandler(got);
        broker.subscribe("acme/#z?e").join();

        CompletionException e = assertThrows(CompletionException.class,
                () -> broker.publish("acme/#z\u00e9e", bytes("hi")).join());
        assertTrue(e.getCause() instanceof IllegalArgumentException, e.toString());
        assertTrue(broker.publish("acme/#" + "u".repeat(256), bytes("hi")).isCompletedExceptionally());
        assertTrue(got.messages.isEmpty());
    }

    @Test
    void anUnreadableBucketMessageIsCountedAndDropped() {
        MemoryBroker memory = new MemoryBroker();
        PersonalBuckets broker = new PersonalBuckets(memory, PersonalChannels.BUCKETS, registry);
        Recorder got = new Recorder();
        broker.setHandler(got);
        broker.subscribe("acme/#u1").join();

        memory.publish("acme/~51", bytes("junk")).join();
        memory.publish("acme/~51", new byte[] {1, 40, 'u'}).join(); // says 40 bytes of user id, holds one
        memory.publish("acme/~51", new byte[0]).join();

        assertTrue(got.messages.isEmpty());
        assertEquals(3.0, registry.get("switchboard.broker.personal.dropped").tag("reason", "malformed").counter().count());
    }

    @Test
    void theModesSayWhichWaysAProcessPublishesAndSubscribes() {
        for (PersonalChannels mode : PersonalChannels.values()) {
            MemoryBroker memory = new MemoryBroker();
            PersonalBuckets broker = new PersonalBuckets(memory, mode, new SimpleMeterRegistry());
            broker.setHandler(new Recorder());
            broker.subscribe("acme/#u1").join();
            assertEquals(mode.subscribesBucket() ? Set.of("acme/~51") : Set.of("acme/#u1"), memory.subscriptions(),
                    mode.label());
            assertEquals("memory (personal channels: " + mode.label() + ")", broker.describe());
        }
        assertEquals(PersonalChannels.BUCKETS_DUAL, PersonalChannels.parse("buckets-dual"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PersonalChannels.parse("bucket"));
        assertEquals("unknown personal channel mode 'bucket' (one of users, users-dual, buckets-dual, buckets)",
                e.getMessage());
    }

    /** A personal channel of {@code org} in the same bucket as {@code user}, for another user. */
    private static String sameBucketAs(String org, String user) {
        int want = PersonalBuckets.bucket(user);
        for (int i = 0; ; i++) {
            String other = "other" + i;
            if (PersonalBuckets.bucket(other) == want) {
                return org + "/#" + other;
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final class Recorder implements BrokerHandler {
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(String channel, byte[] message) {
            messages.add(channel + "=" + new String(message, StandardCharsets.UTF_8));
        }
    }
}
