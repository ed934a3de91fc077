package dev.switchboard.bridge.redis;

import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.BrokerHandler;
import dev.switchboard.bridge.BrokerUnavailableException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the two Redis brokers share: channel names under the key prefix, the
 * handler guard, batched subscriptions and their confirmation, metrics, and the
 * publish bookkeeping. Subclasses supply the Redis commands (PUBLISH or
 * SPUBLISH, SUBSCRIBE or per-slot SSUBSCRIBE) and the connection watch.
 */
abstract class LettuceBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(LettuceBroker.class);

    final String description;
    final ChannelNames names;
    final HandlerGuard handler;
    final SubscriptionBatcher subscriptions;
    final BrokerMetrics metrics;
    private final AbstractRedisClient client;
    private final LettuceSetup.BrokerResources resources;
    volatile boolean closed;

    LettuceBroker(String description, RedisBrokerOptions options, LettuceSetup.BrokerResources resources,
                  AbstractRedisClient client, MeterRegistry registry) {
        this.description = description;
        this.client = client;
        this.resources = resources;
        this.names = new ChannelNames(options.keyPrefix());
        this.handler = new HandlerGuard(description);
        this.subscriptions = new SubscriptionBatcher(new Sink(), resources.use().eventExecutorGroup().next(),
                options.batchWindow().toNanos(), options.maxBatchSize(), e -> Failures.translate(description, e));
        this.metrics = new BrokerMetrics(registry, description, subscriptions::size, this::isAvailable);
    }

    /** Sends one batch of channel subscriptions (Redis names) to Redis. */
    abstract CompletionStage<Void> sendSubscribe(List<String> channels);

    abstract CompletionStage<Void> sendUnsubscribe(List<String> channels);

    /** Publishes on an open broker: the command, or a failure at once when the publishing side is down. */
    abstract CompletableFuture<Void> sendPublish(String channel, byte[] message);

    /** Closing: stops watching the connections and closes them (the client is shut down next). */
    abstract void closeConnections();

    @Override
    public final CompletableFuture<Void> publish(String channel, byte[] message) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker closed"));
        }
        return sendPublish(channel, message);
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscriptions.close();
        metrics.close();
        closeConnections();
        Shutdown.quietly(client, resources.owned());
    }

    @Override
    public void setHandler(BrokerHandler handler) {
        this.handler.set(handler);
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
    public String describe() {
        return description;
    }

    /** The outcome of a publish command, counted and with Redis errors translated. */
    CompletableFuture<Void> published(CompletionStage<Long> sent) {
        return Failures.voidResult(description, sent).whenComplete((v, err) -> {
            if (err == null) {
                metrics.published();
            } else {
                metrics.publishFailed();
            }
        });
    }

    /** A message arrived (on a Lettuce I/O thread): count, hand over, return. */
    void received(String redisChannel, byte[] message) {
        metrics.received();
        handler.message(names.fromRedis(redisChannel), message);
    }

    /**
     * Redis confirmed a subscription. One nobody wants any more is dropped again; a
     * wanted one completes its waiters, also when our command timed out but ran.
     */
    void confirmed(String redisChannel) {
        String channel = names.fromRedis(redisChannel);
        if (closed) {
            return;
        }
        if (!subscriptions.isWanted(channel)) {
            log.debug("{}: subscribed to {} that nobody wants; unsubscribing", description, channel);
            subscriptions.ensureUnsubscribed(channel);
        } else {
            subscriptions.confirmed(channel);
        }
    }

    /**
     * Opens the publishing connection, then the subscribing one, then builds the broker;
     * if Redis cannot be reached, closes what was opened and the client, and says so.
     */
    static <P extends StatefulConnection<?, ?>, S, B> B connectBoth(String description, Supplier<P> publisher,
            Supplier<S> subscriber, BiFunction<P, S, B> broker, Runnable shutdown) {
        P pub = null;
        try {
            pub = publisher.get();
            return broker.apply(pub, subscriber.get());
        } catch (RedisException e) {
            if (pub != null) {
                pub.close();
            }
            shutdown.run();
            throw new BrokerUnavailableException("cannot connect to " + description, e);
        }
    }

    /** Batches go to the subclass's commands. */
    private final class Sink implements SubscriptionBatcher.Sink {
        @Override
        public CompletionStage<Void> subscribe(List<String> channels) {
            return sendSubscribe(channels);
        }

        @Override
        public CompletionStage<Void> unsubscribe(List<String> channels) {
            return sendUnsubscribe(channels);
        }
    }
}
