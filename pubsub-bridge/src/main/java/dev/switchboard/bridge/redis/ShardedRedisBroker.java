package dev.switchboard.bridge.redis;

import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.BrokerHandler;
import dev.switchboard.bridge.BrokerUnavailableException;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Client-side sharding over several standalone Redis instances: each channel
 * lives on exactly one of them, chosen by {@link Rendezvous} hashing, so publish
 * and subscribe of a channel always meet on the same instance. Each shard is a
 * full {@link RedisBroker} with its own connections, reconnects and metrics; an
 * outage of one shard affects only its channels.
 *
 * <p>Every node must be configured with the same set of instances (order does not
 * matter): a node with a different list sends some channels elsewhere.
 */
public final class ShardedRedisBroker implements Broker {
    private final List<Broker> shards;
    private final Rendezvous rendezvous;
    private final HandlerGuard handler;
    private final String description;

    /**
     * Takes ownership of the shards (closes them on {@link #close()}).
     *
     * @param ids the stable identity of each shard, in the same order, for hashing
     */
    ShardedRedisBroker(List<String> ids, List<? extends Broker> shards) {
        if (ids.size() != shards.size() || shards.isEmpty()) {
            throw new IllegalArgumentException("one id per shard, at least one shard");
        }
        this.shards = List.copyOf(shards);
        this.rendezvous = new Rendezvous(ids);
        this.description = "redis-sharded[" + shards.stream().map(Broker::describe).collect(Collectors.joining(","))
                + "]";
        this.handler = new HandlerGuard(description);
        for (Broker shard : shards) {
            shard.setHandler(new Forwarder());
        }
    }

    /**
     * Connects one {@link RedisBroker} per URI (blocking; call at startup).
     *
     * @throws BrokerUnavailableException if any instance cannot be reached now
     */
    public static ShardedRedisBroker connect(List<String> uris, RedisBrokerOptions options, MeterRegistry registry) {
        return connect(uris, options, registry, null);
    }

    /** As {@link #connect(List, RedisBrokerOptions, MeterRegistry)}, every shard on the process's {@code shared} resources (null: each its own). */
    public static ShardedRedisBroker connect(List<String> uris, RedisBrokerOptions options, MeterRegistry registry,
                                             RedisResources shared) {
        List<RedisBroker> connected = new ArrayList<>();
        try {
            for (String uri : uris) {
                connected.add(RedisBroker.connect(uri, options, registry, shared));
            }
        } catch (RuntimeException e) {
            connected.forEach(RedisBroker::close);
            throw e;
        }
        return new ShardedRedisBroker(uris.stream().map(ShardedRedisBroker::identity).toList(), connected);
    }

    /** host:port, so that {@code redis://a:1} and {@code redis://a:1/} hash alike. */
    private static String identity(String uri) {
        RedisURI u = RedisURI.create(uri);
        return u.getHost() + ":" + u.getPort();
    }

    /** The shard that owns {@code channel} (for tests and stats). */
    Broker shardFor(String channel) {
        return shards.get(rendezvous.pick(channel));
    }

    @Override
    public void setHandler(BrokerHandler handler) {
        this.handler.set(handler);
    }

    @Override
    public CompletableFuture<Void> publish(String channel, byte[] message) {
        return shardFor(channel).publish(channel, message);
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        return shardFor(channel).subscribe(channel);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        return shardFor(channel).unsubscribe(channel);
    }

    /** True only while every shard is reachable; publishes to a reachable shard work either way. */
    @Override
    public boolean isAvailable() {
        return shards.stream().allMatch(Broker::isAvailable);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        shards.forEach(Broker::close);
    }

    /** Passes every shard's events on; a resubscribe names that shard's channels only. */
    private final class Forwarder implements BrokerHandler {
        @Override
        public void onMessage(String channel, byte[] message) {
            handler.message(channel, message);
        }

        @Override
        public void onResubscribed(Set<String> channels) {
            handler.resubscribed(channels);
        }

        @Override
        public void onDisconnected() {
            handler.disconnected();
        }
    }
}
