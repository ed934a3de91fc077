package dev.switchboard.bridge.redis;

import dev.switchboard.bridge.BrokerUnavailableException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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
public final class RedisBroker extends LettuceBroker {
    private final StatefulRedisConnection<String, byte[]> publisher;
    private final StatefulRedisPubSubConnection<String, byte[]> subscriber;
    private final ConnectionWatch watch;

    private RedisBroker(String description, RedisBrokerOptions options, LettuceSetup.BrokerResources resources,
            RedisClient client,
            StatefulRedisConnection<String, byte[]> publisher, StatefulRedisPubSubConnection<String, byte[]> subscriber,
            MeterRegistry registry) {
        super(description, options, resources, client, registry);
        this.publisher = publisher;
        this.subscriber = subscriber;
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
        return connect(uri, options, registry, null);
    }

    /** As {@link #connect(String, RedisBrokerOptions, MeterRegistry)}, on the process's {@code shared} resources (null: its own). */
    public static RedisBroker connect(String uri, RedisBrokerOptions options, MeterRegistry registry, RedisResources shared) {
        RedisURI redisUri = RedisURI.create(uri);
        // The URI timeout bounds the connection handshake; commands have their own (TimeoutOptions).
        redisUri.setTimeout(options.connectTimeout());
        LettuceSetup.BrokerResources resources = LettuceSetup.brokerResources(options, shared);
        RedisClient client = RedisClient.create(resources.use(), redisUri);
        client.setOptions(LettuceSetup.clientOptions(options));
        return connectBoth(uri, () -> client.connect(LettuceSetup.CODEC), () -> client.connectPubSub(LettuceSetup.CODEC),
                (pub, sub) -> new RedisBroker(uri, options, resources, client, pub, sub, registry),
                () -> Shutdown.quietly(client, resources.owned()));
    }

    @Override
    CompletableFuture<Void> sendPublish(String channel, byte[] message) {
        if (!watch.publisherUp()) {
            metrics.publishFailed();
            return CompletableFuture.failedFuture(new BrokerUnavailableException(description + " is unreachable"));
        }
        return published(publisher.async().publish(names.toRedis(channel), message));
    }

    @Override
    CompletionStage<Void> sendSubscribe(List<String> channels) {
        return subscriber.async().subscribe(names.toRedis(channels));
    }

    @Override
    CompletionStage<Void> sendUnsubscribe(List<String> channels) {
        return subscriber.async().unsubscribe(names.toRedis(channels));
    }

    @Override
    public boolean isAvailable() {
        return !closed && watch.publisherUp() && watch.subscriberUp();
    }

    @Override
    void closeConnections() {
        subscriber.close();
        publisher.close();
    }

    /** Runs on a Lettuce I/O thread. */
    private final class Receiver extends RedisPubSubAdapter<String, byte[]> {
        @Override
        public void message(String channel, byte[] message) {
            received(channel, message);
        }

        @Override
        public void subscribed(String channel, long count) {
            confirmed(channel);
        }
    }
}
