package dev.switchboard.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bridge.memory.MemoryBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class LocalFirstBrokerTest {

    /** Two "nodes" on one shared remote: a MemoryBroker fanned out to both by a tiny relay. */
    static final class SharedRemote {
        final List<BrokerHandler> nodes = new ArrayList<>();
        boolean down;

        Broker node() {
            return new Broker() {
                final MemoryBroker own = new MemoryBroker();

                @Override
                public void setHandler(BrokerHandler h) {
                    nodes.add(h);
                }

                @Override
                public java.util.concurrent.CompletableFuture<Void> publish(String channel, byte[] message) {
                    if (down) {
                        return java.util.concurrent.CompletableFuture.failedFuture(new BrokerUnavailableException("down"));
                    }
                    nodes.forEach(n -> n.onMessage(channel, message));
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                }

                @Override
                public java.util.concurrent.CompletableFuture<Void> subscribe(String channel) {
                    return own.subscribe(channel);
                }

                @Override
                public java.util.concurrent.CompletableFuture<Void> unsubscribe(String channel) {
                    return own.unsubscribe(channel);
                }

                @Override
                public boolean isAvailable() {
                    return !down;
                }

                @Override
                public String describe() {
                    return "shared";
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void deliversLocallyOnceAndRemotelyOnce() {
        SharedRemote remote = new SharedRemote();
        LocalFirstBroker a = new LocalFirstBroker(remote.node(), 1);
        LocalFirstBroker b = new LocalFirstBroker(remote.node(), 2);
        List<String> gotA = new ArrayList<>();
        List<String> gotB = new ArrayList<>();
        a.setHandler((ch, m) -> gotA.add(new String(m)));
        b.setHandler((ch, m) -> gotB.add(new String(m)));
        a.subscribe("acme/x").join();
        b.subscribe("acme/x").join();
        a.publish("acme/x", "hello".getBytes()).join();
        assertEquals(List.of("hello"), gotA);
        assertEquals(List.of("hello"), gotB);
    }

    @Test
    void localFanOutKeepsWorkingWhenTheRemoteIsDown() {
        SharedRemote remote = new SharedRemote();
        LocalFirstBroker a = new LocalFirstBroker(remote.node(), 1);
        List<String> got = new ArrayList<>();
        a.setHandler((ch, m) -> got.add(new String(m)));
        a.subscribe("acme/x").join();
        remote.down = true;
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> a.publish("acme/x", "local".getBytes()).join());
        assertTrue(e.getCause() instanceof BrokerUnavailableException);
        assertEquals(List.of("local"), got);
    }

    @Test
    void passesThroughMessagesWithoutEnvelope() {
        SharedRemote remote = new SharedRemote();
        Broker bare = remote.node();
        LocalFirstBroker a = new LocalFirstBroker(remote.node(), 1);
        List<byte[]> got = new ArrayList<>();
        a.setHandler((ch, m) -> got.add(m));
        bare.setHandler((ch, m) -> { });
        byte[] frame = {(byte) 0xA2, 0x01, 0x00};
        bare.publish("acme/x", frame).join();
        assertArrayEquals(frame, got.get(0));
    }
}
