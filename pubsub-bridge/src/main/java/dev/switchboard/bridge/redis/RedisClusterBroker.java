package dev.switchboard.bridge.redis;

import dev.switchboard.bridge.BrokerUnavailableException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker on Redis Cluster with sharded pub/sub (Redis 7): SPUBLISH and
 * SSUBSCRIBE go to the master that owns the channel's hash slot, so a message
 * crosses one node instead of being broadcast over the cluster bus to all of them.
 *
 * <p>Lettuce routes each SSUBSCRIBE by slot over one pub/sub connection per node;
 * a batch is therefore split into one SSUBSCRIBE per slot (Redis refuses a
 * cross-slot SSUBSCRIBE). When a slot moves, its old owner ends our subscription
 * with an SUNSUBSCRIBE that we did not ask for; we refresh the slot map and
 * subscribe again at the new owner (Lettuce 6.8 does not do this itself,
 * redis/lettuce#3213). Outages behave as in {@link RedisBroker}; see {@link ClusterWatch}.
 */
public final class RedisClusterBroker extends LettuceBroker {
    private static final Logger log = LoggerFactory.getLogger(RedisClusterBroker.class);

    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<String, byte[]> publisher;
    private final StatefulRedisClusterPubSubConnection<String, byte[]> subscriber;
    private final ClusterWatch watch;

    private RedisClusterBroker(String description, RedisBrokerOptions options, LettuceSetup.BrokerResources resources,
            RedisClusterClient client, StatefulRedisClusterConnection<String, byte[]> publisher,
            StatefulRedisClusterPubSubConnection<String, byte[]> subscriber, MeterRegistry registry) {
        super(description, options, resources, client, registry);
        this.client = client;
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.watch = new ClusterWatch(description, subscriptions, handler, metrics);
        // Client-wide: also hears the per-node connections that the cluster opens later.
        client.addListener(watch);
        subscriber.addListener(new Receiver());
    }

    /**
     * Connects to the cluster through any of the seed nodes (blocking; call at startup).
     *
     * @param seeds {@code host:port} of one or more cluster nodes
     * @throws BrokerUnavailableException if the cluster cannot be reached now
     */
    public static RedisClusterBroker connect(List<String> seeds, RedisBrokerOptions options, MeterRegistry registry) {
        return connect(seeds, options, registry, null);
    }

    /** As {@link #connect(List, RedisBrokerOptions, MeterRegistry)}, on the process's {@code shared} resources (null: its own). */
    public static RedisClusterBroker connect(List<String> seeds, RedisBrokerOptions options, MeterRegistry registry,
                                             RedisResources shared) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seed nodes");
        }
        List<RedisURI> uris = new ArrayList<>();
        for (String seed : seeds) {
            RedisURI uri = RedisURI.create("redis://" + seed);
            uri.setTimeout(options.connectTimeout());
            uris.add(uri);
        }
        String description = "redis-cluster://" + String.join(",", seeds);
        LettuceSetup.BrokerResources resources = LettuceSetup.brokerResources(options, shared);
        RedisClusterClient client = RedisClusterClient.create(resources.use(), uris);
        client.setOptions(LettuceSetup.clusterOptions(options));
        return connectBoth(description, () -> client.connect(LettuceSetup.CODEC), () -> client.connectPubSub(LettuceSetup.CODEC),
                (pub, sub) -> new RedisClusterBroker(description, options, resources, client, pub, sub, registry),
                () -> Shutdown.quietly(client, resources.owned()));
    }

    @Override
    CompletableFuture<Void> sendPublish(String channel, byte[] message) {
        return published(publisher.async().spublish(names.toRedis(channel), message));
    }

    @Override
    CompletionStage<Void> sendSubscribe(List<String> channels) {
        return perSlot(channels, true);
    }

    @Override
    CompletionStage<Void> sendUnsubscribe(List<String> channels) {
        return perSlot(channels, false);
    }

    @Override
    public boolean isAvailable() {
        return !closed && watch.allUp();
    }

    @Override
    void closeConnections() {
        watch.stop();
        subscriber.close();
        publisher.close();
    }

    /** The old owner of the slot dropped our subscription: learn the new owner, subscribe there. */
    private void followSlotMove(String channel) {
        log.info("{}: {} was unsubscribed by Redis (slot moved); subscribing at its new owner", description, channel);
        client.refreshPartitionsAsync().whenComplete((v, err) -> subscriptions.resubscribe(Set.of(channel))
                .whenComplete((sent, failed) -> {
                    if (failed != null) {
                        log.warn("{}: could not resubscribe {}: {}", description, channel, failed.toString());
                    }
                }));
    }

    /** One SSUBSCRIBE per hash slot: Redis refuses channels of different slots in one command. */
    private CompletableFuture<Void> perSlot(List<String> channels, boolean subscribe) {
        Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
        for (String channel : channels) {
            String key = names.toRedis(channel);
            bySlot.computeIfAbsent(SlotHash.getSlot(key), slot -> new ArrayList<>()).add(key);
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>(bySlot.size());
        for (List<String> keys : bySlot.values()) {
            String[] k = keys.toArray(String[]::new);
            sent.add((subscribe ? subscriber.async().ssubscribe(k) : subscriber.async().sunsubscribe(k)).toCompletableFuture());
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    /** Runs on a Lettuce I/O thread. */
    private final class Receiver extends RedisClusterPubSubAdapter<String, byte[]> {
        @Override
        public void smessage(RedisClusterNode node, String channel, byte[] message) {
            received(channel, message);
        }

        @Override
        public void ssubscribed(RedisClusterNode node, String channel, long count) {
            confirmed(channel);
        }

        @Override
        public void sunsubscribed(RedisClusterNode node, String channel, long count) {
            String ch = names.fromRedis(channel);
            if (!closed && subscriptions.isWanted(ch)) {
                followSlotMove(ch);
            }
        }
    }
}
