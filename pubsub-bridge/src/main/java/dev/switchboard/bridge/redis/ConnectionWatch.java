package dev.switchboard.bridge.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the two connections of a {@link RedisBroker} and turns their ups and
 * downs into the broker's outage semantics:
 *
 * <ul>
 *   <li>the subscriber connection drops: {@code onDisconnected()}, once per outage;</li>
 *   <li>it is back: Lettuce has already re-sent SUBSCRIBE for the channels it had confirmed
 *       (its own resubscribe runs when the connection activates, before this listener hears
 *       of it); we send SUBSCRIBE for every wanted channel once more, which also covers
 *       subscriptions asked for during the outage, and call {@code onResubscribed(channels)}
 *       when Redis confirmed them all.</li>
 * </ul>
 *
 * <p>Listeners run on Lettuce's I/O threads; nothing here blocks.
 */
final class ConnectionWatch {
    private static final Logger log = LoggerFactory.getLogger(ConnectionWatch.class);

    private final String broker;
    private final SubscriptionBatcher subscriptions;
    private final HandlerGuard handler;
    private final BrokerMetrics metrics;
    private volatile boolean publisherUp = true;
    private volatile boolean subscriberUp = true;
    /** True from a subscriber disconnect until the resubscribe after it succeeded. */
    private final AtomicBoolean outage = new AtomicBoolean();

    ConnectionWatch(String broker, SubscriptionBatcher subscriptions, HandlerGuard handler, BrokerMetrics metrics) {
        this.broker = broker;
        this.subscriptions = subscriptions;
        this.handler = handler;
        this.metrics = metrics;
    }

    boolean publisherUp() {
        return publisherUp;
    }

    boolean subscriberUp() {
        return subscriberUp;
    }

    RedisConnectionStateListener publisherListener() {
        return new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                publisherUp = true;
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                publisherUp = false;
            }
        };
    }

    RedisConnectionStateListener subscriberListener() {
        return new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                subscriberUp = true;
                if (outage.get()) {
                    resubscribe();
                }
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                subscriberUp = false;
                if (connection.isClosed()) {
                    return;
                }
                if (outage.compareAndSet(false, true)) {
                    log.warn("{}: subscriber connection lost; reconnecting", broker);
                    handler.disconnected();
                }
            }
        };
    }

    private void resubscribe() {
        subscriptions.resubscribeAll().whenComplete((channels, err) -> {
            if (err != null) {
                // The connection dropped again; the next reconnect tries again.
                log.warn("{}: resubscribe failed: {}", broker, err.toString());
                return;
            }
            if (outage.compareAndSet(true, false)) {
                metrics.reconnected();
                log.info("{}: reconnected, {} channel(s) subscribed again", broker, channels.size());
                handler.resubscribed(channels);
            }
        });
    }
}
