package dev.switchboard.bridge.redis;

import dev.switchboard.bridge.BrokerHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records what a broker delivers, for assertions from the test thread. */
final class RecordingHandler implements BrokerHandler {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<Set<String>> resubscribed = new CopyOnWriteArrayList<>();
    final AtomicInteger disconnects = new AtomicInteger();

    @Override
    public void onMessage(String channel, byte[] message) {
        messages.add(channel + "=" + new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public void onResubscribed(Set<String> channels) {
        resubscribed.add(channels);
    }

    @Override
    public void onDisconnected() {
        disconnects.incrementAndGet();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
