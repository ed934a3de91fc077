package dev.switchboard.bridge;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Puts a node's own subscribers first: a publish is handed to the local handler
 * at once (if the node is subscribed to the channel) and then to the remote
 * broker, tagged with this node's origin; the copy that comes back from the
 * remote broker is dropped. So local fan-out keeps working while Redis is away,
 * local subscribers do not pay a Redis round trip, and nobody gets a message
 * twice.
 *
 * <p>Envelope: {@code 0x00, origin (8 bytes), message}. A protobuf message never
 * starts with byte 0 (tag 0 is invalid), so messages published without an
 * envelope (by a process using a bare broker) pass through unchanged.
 */
public final class LocalFirstBroker implements Broker {
    private static final byte MAGIC = 0;
    private static final int HEADER = 9;

    private final Broker remote;
    private final long origin;
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private volatile BrokerHandler handler;

    public LocalFirstBroker(Broker remote) {
        this(remote, ThreadLocalRandom.current().nextLong());
    }

    LocalFirstBroker(Broker remote, long origin) {
        this.remote = Objects.requireNonNull(remote, "remote");
        this.origin = origin;
    }

    @Override
    public void setHandler(BrokerHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        remote.setHandler(new BrokerHandler() {
            @Override
            public void onMessage(String channel, byte[] message) {
                if (message.length >= HEADER && message[0] == MAGIC) {
                    if (readLong(message) == origin) {
                        return;
                    }
                    byte[] inner = new byte[message.length - HEADER];
                    System.arraycopy(message, HEADER, inner, 0, inner.length);
                    handler.onMessage(channel, inner);
                } else {
                    handler.onMessage(channel, message);
                }
            }

            @Override
            public void onResubscribed(Set<String> channels) {
                handler.onResubscribed(channels);
            }

            @Override
            public void onDisconnected() {
                handler.onDisconnected();
            }
        });
    }

    @Override
    public CompletableFuture<Void> publish(String channel, byte[] message) {
        BrokerHandler h = handler;
        if (h != null && subscribed.contains(channel)) {
            h.onMessage(channel, message);
        }
        byte[] envelope = new byte[HEADER + message.length];
        envelope[0] = MAGIC;
        for (int i = 0; i < 8; i++) {
            envelope[1 + i] = (byte) (origin >>> (56 - 8 * i));
        }
        System.arraycopy(message, 0, envelope, HEADER, message.length);
        return remote.publish(channel, envelope);
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        subscribed.add(channel);
        return remote.subscribe(channel);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        subscribed.remove(channel);
        return remote.unsubscribe(channel);
    }

    @Override
    public boolean isAvailable() {
        return remote.isAvailable();
    }

    @Override
    public String describe() {
        return remote.describe();
    }

    @Override
    public void close() {
        remote.close();
    }

    private static long readLong(byte[] b) {
        long v = 0;
        for (int i = 1; i < HEADER; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }
}
