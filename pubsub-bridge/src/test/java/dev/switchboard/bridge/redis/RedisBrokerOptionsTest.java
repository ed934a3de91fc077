package dev.switchboard.bridge.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisBrokerOptionsTest {

    @Test
    void defaultsAreThePublishedConstants() {
        RedisBrokerOptions o = RedisBrokerOptions.defaults();
        assertEquals(RedisBrokerOptions.DEFAULT_KEY_PREFIX, o.keyPrefix());
        assertEquals(RedisBrokerOptions.DEFAULT_BATCH_WINDOW, o.batchWindow());
        assertEquals(RedisBrokerOptions.DEFAULT_COMMAND_TIMEOUT, o.commandTimeout());
        assertEquals(RedisBrokerOptions.DEFAULT_RECONNECT_DELAY_MIN, o.reconnectDelayMin());
        assertEquals(RedisBrokerOptions.DEFAULT_RECONNECT_DELAY_MAX, o.reconnectDelayMax());
    }

    @Test
    void everyClientSpeaksResp2() {
        RedisBrokerOptions o = RedisBrokerOptions.defaults();
        assertEquals(ProtocolVersion.RESP2, LettuceSetup.clientOptions(o).getConfiguredProtocolVersion());
        assertEquals(ProtocolVersion.RESP2, LettuceSetup.clusterOptions(o).getConfiguredProtocolVersion());
    }

    @Test
    void mutateKeepsEveryValue() {
        RedisBrokerOptions o = RedisBrokerOptions.builder().keyPrefix("x:").batchWindow(Duration.ZERO)
                .maxBatchSize(7).reconnectDelay(Duration.ofMillis(1), Duration.ofMillis(2))
                .commandTimeout(Duration.ofMillis(3)).connectTimeout(Duration.ofMillis(4))
                .topologyRefreshPeriod(Duration.ofMillis(5)).ioThreads(1).build();
        assertEquals(o.toString(), o.mutate().build().toString());
    }

    @Test
    void toStringNamesEveryOption() {
        String s = RedisBrokerOptions.defaults().toString();
        for (String name : new String[] {"keyPrefix='sb:'", "batchWindow=PT0.002S", "maxBatchSize=512",
                "reconnectDelayMin", "reconnectDelayMax", "commandTimeout", "connectTimeout",
                "topologyRefreshPeriod", "ioThreads"}) {
            assertTrue(s.contains(name), s + " lacks " + name);
        }
    }

    @Test
    void rejectsValuesThatCannotWork() {
        assertThrows(IllegalArgumentException.class,
                () -> RedisBrokerOptions.builder().batchWindow(Duration.ofMillis(-1)).build());
        assertThrows(IllegalArgumentException.class,
                () -> RedisBrokerOptions.builder().commandTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class,
                () -> RedisBrokerOptions.builder().reconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)).build());
        assertThrows(IllegalArgumentException.class, () -> RedisBrokerOptions.builder().maxBatchSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> RedisBrokerOptions.builder().ioThreads(0).build());
        assertThrows(NullPointerException.class, () -> RedisBrokerOptions.builder().keyPrefix(null).build());
    }
}
