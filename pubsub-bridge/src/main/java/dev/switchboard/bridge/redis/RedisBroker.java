package dev.switchboard.bridge.redis;

import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.BrokerHandler;
import dev.switchboard.bridge.BrokerUnavailableException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker on one standalone Redis: one pub/sub connection receives, one
 * connection publishes (pipelined: publishes are async commands, never waited on
 * one by one). Subscriptions go out in batches ({@link SubscriptionBatcher}).
 *
 * <p>Outages: publishes fail at once with {@link BrokerUnavailableException} while
 * the publishing connection is down (Lettuce rejects commands instead of buffering
 * them, and times out commands in flight). Lettuce reconnects with backoff;
 * see {@link ConnectionWatch} for what happens when it is back.
 */
public final class RedisBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

    private final String description;
    private final ChannelNames names;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> publisher;
    private final StatefulRedisPubSubConnection<String, byte[]> subscriber;
    private final HandlerGuard handler;
    private final SubscriptionBatcher subscriptions;
    private final ConnectionWatch watch;
    private final BrokerMetrics metrics;
    private volatile boolean closed;

    private RedisBroker(String description, RedisBrokerOptions options, ClientResources resources, RedisClient client,
            StatefulRedisConnection<String, byte[]> publisher, StatefulRedisPubSubConnection<String, byte[]> subscriber,
            MeterRegistry registry) {
        this.description = description;
        this.names = new ChannelNames(options.keyPrefix());
        this.resources = resources;
        this.client = client;
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.handler = new HandlerGuard(description);
        this.subscriptions = new SubscriptionBatcher(new Sink(), resources.eventExecutorGroup().next(),
                options.batchWindow().toNanos(), options.maxBatchSize(), e -> Failures.translate(description, e));
        this.metrics = new BrokerMetrics(registry, description, subscriptions::size, this::isAvailable);
        this.watch = new ConnectionWatch(description, subscriptions, handler, metrics);
        subscriber.addListener(new Receiver());
        subscriber.addListener(watch.subscriberListener());
        publisher.addListener(watch.publisherListener());
    }

    /**
     * Connects both connections (blocking; call at startup, never on an event loop).
     *
     * @param uri e.g. {@code redis://127.0.0.1:6379}
     * @throws BrokerUnavailableException if Redis cannot be reached now
     */
    public static RedisBroker connect(String uri, RedisBrokerOptions options, MeterRegistry registry) {
        RedisURI redisUri = RedisURI.create(uri);
        // The URI timeout bounds the connection handshake; commands have their own (TimeoutOptions).
        redisUri.setTimeout(options.connectTimeout());
        ClientResources resources = LettuceSetup.resources(options);
        RedisClient client = RedisClient.create(resources, redisUri);
        client.setOptions(LettuceSetup.clientOptions(options));
        StatefulRedisConnection<String, byte[]> publisher = null;
        try {
            publisher = client.connect(LettuceSetup.CODEC);
            StatefulRedisPubSubConnection<String, byte[]> subscriber = client.connectPubSub(LettuceSetup.CODEC);
            return new RedisBroker(uri, options, resources, client, publisher, subscriber, registry);
        } catch (RedisException e) {
            if (publisher != null) {
                publisher.close();
            }
            Shutdown.quietly(client, resources);
            throw new BrokerUnavailableException("cannot connect to " + uri, e);
        }
    }

    @Override
    public void setHandler(BrokerHandler handler) {
        this.handler.set(handler);
    }

    @Override
    public CompletableFuture<Void> publish(String channel, byte[] message) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker closed"));
        }
        if (!watch.publisherUp()) {
            metrics.publishFailed();
            return CompletableFuture.failedFuture(new BrokerUnavailableException(description + " is unreachable"));
        }
        CompletableFuture<Void> result = Failures.voidResult(description,
                publisher.async().publish(names.toRedis(channel), message));
        return result.whenComplete((v, err) -> {
            if (err == null) {
                metrics.published();
            } else {
                metrics.publishFailed();
            }
        });
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        return subscriptions.subscribe(channel);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        return subscriptions.unsubscribe(channel);
    }

    @Override
    public boolean isAvailable() {
        return !closed && watch.publisherUp() && watch.subscriberUp();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscriptions.close();
        metrics.close();
        subscriber.close();
        publisher.close();
        Shutdown.quietly(client, resources);
    }

    /** Sends batches as one SUBSCRIBE / UNSUBSCRIBE with many channels. */
    private final class Sink implements SubscriptionBatcher.Sink {
        @Override
        public CompletionStage<Void> subscribe(List<String> channels) {
            return subscriber.async().subscribe(names.toRedis(channels));
        }

        @Override
        public CompletionStage<Void> unsubscribe(List<String> channels) {
            return subscriber.async().unsubscribe(names.toRedis(channels));
        }
    }

    /** Runs on a Lettuce I/O thread: count, hand over, return. */
    private final class Receiver extends RedisPubSubAdapter<String, byte[]> {
        @Override
        public void message(String channel, byte[] message) {
            metrics.received();
            handler.message(names.fromRedis(channel), message);
        }

        @Override
        public void subscribed(String channel, long count) {
            String ch = names.fromRedis(channel);
            if (closed) {
                return;
            }
            if (!subscriptions.isWanted(ch)) {
                log.debug("{}: subscribed to {} that nobody wants; unsubscribing", description, ch);
                subscriptions.ensureUnsubscribed(ch);
            } else {
                subscriptions.confirmed(ch);
            }
        }
    }
}
