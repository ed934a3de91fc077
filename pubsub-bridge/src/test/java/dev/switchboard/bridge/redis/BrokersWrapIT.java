package dev.switchboard.bridge.redis;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.switchboard.bridge.PersonalBuckets;
import dev.switchboard.bridge.memory.MemoryBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class BrokersWrapIT {
    @Test
    void memorySpecNeedsNoWrapping() {
        try (var b = Brokers.create("memory", RedisBrokerOptions.defaults(), new SimpleMeterRegistry())) {
            assertInstanceOf(MemoryBroker.class, b);
        }
    }

    @Test
    void redisBrokersCarryPersonalChannelsOnBucketsDeliverLocallyFirstAndWriteOffTheCallersThread() {
        try (var redis = new dev.switchboard.testing.RedisServerProcess().start();
             var b = Brokers.create(redis.uri(), RedisBrokerOptions.defaults(), new SimpleMeterRegistry())) {
            assertInstanceOf(PersonalBuckets.class, b);
        }
    }
}
