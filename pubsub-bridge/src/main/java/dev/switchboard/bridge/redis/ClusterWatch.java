package dev.switchboard.bridge.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every connection of a {@link RedisClusterBroker}'s client (the cluster
 * keeps one per node, opened on demand) and gives the cluster the same outage
 * semantics as a single Redis: the first node connection that drops calls
 * {@code onDisconnected()}; once none is down any more, every wanted channel is
 * sent SSUBSCRIBE again (routed by slot to its current owner) and
 * {@code onResubscribed(channels)} follows.
 *
 * <p>Connections that Lettuce closes on purpose (topology refresh probes, stale
 * nodes) are not outages. Runs on Lettuce's I/O threads; nothing here blocks.
 */
final class ClusterWatch implements RedisConnectionStateListener {
    private static final Logger log = LoggerFactory.getLogger(ClusterWatch.class);

    private final String broker;
    private final SubscriptionBatcher subscriptions;
    private final HandlerGuard handler;
    private final BrokerMetrics metrics;
    private final Set<RedisChannelHandler<?, ?>> down = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean outage = new AtomicBoolean();
    private volatile boolean stopped;

    ClusterWatch(String broker, SubscriptionBatcher subscriptions, HandlerGuard handler, BrokerMetrics metrics) {
        this.broker = broker;
        this.subscriptions = subscriptions;
        this.handler = handler;
        this.metrics = metrics;
    }

    boolean allUp() {
        return down.isEmpty();
    }

    /** The broker is closing: connections that go now are not an outage. */
    void stop() {
        stopped = true;
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        if (!down.remove(connection) || !down.isEmpty() || !outage.get() || stopped) {
            return;
        }
        subscriptions.resubscribeAll().whenComplete((channels, err) -> {
            if (err != null) {
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

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (stopped || connection.isClosed()) {
            down.remove(connection);
            return;
        }
        down.add(connection);
        if (outage.compareAndSet(false, true)) {
            log.warn("{}: lost a cluster node connection; reconnecting", broker);
            handler.disconnected();
        }
    }
}
