package dev.switchboard.bridge.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.bridge.redis.BrokerSpec.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerSpecTest {

    @Test
    void oneRedisUriIsAStandaloneRedis() {
        assertEquals(new BrokerSpec(Kind.REDIS, List.of("redis://10.0.0.1:6379")),
                BrokerSpec.parse(" redis://10.0.0.1:6379 "));
    }

    @Test
    void severalRedisUrisAreShards() {
        assertEquals(new BrokerSpec(Kind.SHARDED, List.of("redis://a:1", "redis://b:2")),
                BrokerSpec.parse("redis://a:1, redis://b:2"));
    }

    @Test
    void aClusterSpecListsSeedNodes() {
        assertEquals(new BrokerSpec(Kind.CLUSTER, List.of("a:7000", "b:7001")),
                BrokerSpec.parse("redis-cluster://a:7000,b:7001"));
        assertEquals(new BrokerSpec(Kind.CLUSTER, List.of("a:7000", "b:7001")),
                BrokerSpec.parse("redis-cluster://a:7000,redis-cluster://b:7001"));
    }

    @Test
    void memoryIsTheSingleNodeBroker() {
        assertEquals(Kind.MEMORY, BrokerSpec.parse("memory").kind());
    }

    @Test
    void rejectsWhatItCannotConnectTo() {
        for (String bad : new String[] {"", "redis:/a:1", "redis://a", "redis://a:x", "redis://a:1,b:2",
                "redis://a:1,,redis://b:2", "redis://a:1,redis://a:1", "redis-cluster://", "redis://a:70000",
                "kafka://a:1"}) {
            assertThrows(IllegalArgumentException.class, () -> BrokerSpec.parse(bad), bad);
        }
    }
}
