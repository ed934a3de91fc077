package dev.switchboard.bridge.redis;

import dev.switchboard.bridge.BrokerHandler;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walls the user's {@link BrokerHandler} off from Lettuce's threads: every call is
 * wrapped in try/catch and logged, so that a failing callback never breaks the
 * connection that delivered it (style rule 8, Lettuce's {@code RedisPubSubAdapter}).
 */
final class HandlerGuard {
    private static final Logger log = LoggerFactory.getLogger(HandlerGuard.class);

    private final String broker;
    private volatile BrokerHandler handler;

    HandlerGuard(String broker) {
        this.broker = broker;
    }

    void set(BrokerHandler handler) {
        Objects.requireNonNull(handler, "handler");
        synchronized (this) {
            if (this.handler != null) {
                throw new IllegalStateException("handler already set");
            }
            this.handler = handler;
        }
    }

    void message(String channel, byte[] message) {
        BrokerHandler h = handler;
        if (h == null) {
            return;
        }
        try {
            h.onMessage(channel, message);
        } catch (RuntimeException e) {
            log.warn("{}: handler failed on a message of {}", broker, channel, e);
        }
    }

    void resubscribed(Set<String> channels) {
        BrokerHandler h = handler;
        if (h == null) {
            return;
        }
        try {
            h.onResubscribed(channels);
        } catch (RuntimeException e) {
            log.warn("{}: handler failed in onResubscribed", broker, e);
        }
    }

    void disconnected() {
        BrokerHandler h = handler;
        if (h == null) {
            return;
        }
        try {
            h.onDisconnected();
        } catch (RuntimeException e) {
            log.warn("{}: handler failed in onDisconnected", broker, e);
        }
    }
}
