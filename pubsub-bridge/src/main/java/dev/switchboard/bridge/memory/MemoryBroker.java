package dev.switchboard.bridge.memory;

import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.BrokerHandler;
import dev.switchboard.bridge.BrokerUnavailableException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker of a single node: a publish is delivered to the handler on the
 * publisher's thread if the node is subscribed to the channel. Per-channel order
 * therefore holds per publishing thread, as it does with Redis per connection.
 */
public final class MemoryBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(MemoryBroker.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private volatile BrokerHandler handler;
    private volatile boolean closed;

    @Override
    public void setHandler(BrokerHandler handler) {
        if (this.handler != null) {
            throw new IllegalStateException("handler already set");
        }
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    public CompletableFuture<Void> publish(String channel, byte[] message) {
        if (closed) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException("broker closed"));
        }
        BrokerHandler h = handler;
        if (h != null && subscribed.contains(channel)) {
            try {
                h.onMessage(channel, message);
            } catch (RuntimeException e) {
                // The handler's failure is not the publisher's: the message was accepted.
                log.warn("broker handler failed on {}", channel, e);
            }
        }
        return DONE;
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        subscribed.add(channel);
        return DONE;
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        subscribed.remove(channel);
        return DONE;
    }

    /** The channels subscribed now (for tests and stats). */
    public Set<String> subscriptions() {
        return Set.copyOf(subscribed);
    }

    @Override
    public boolean isAvailable() {
        return !closed;
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
        closed = true;
    }
}
