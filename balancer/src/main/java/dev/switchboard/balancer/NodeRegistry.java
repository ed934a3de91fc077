package dev.switchboard.balancer;

import dev.switchboard.balancer.internal.NodeCodec;
import dev.switchboard.balancer.internal.RedisClients;
import dev.switchboard.bridge.redis.RedisResources;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The balancer's view of the live edge nodes: every refresh interval it reads the
 * index set (SMEMBERS) and the records (MGET) asynchronously and publishes an
 * immutable {@link Snapshot}; request handlers read the snapshot and never wait on
 * Redis. An id whose record expired is removed from the index (best effort; a node
 * that is still alive adds itself back at its next beat).
 *
 * <p>Across a Redis outage or restart the last good view is served until a fresh
 * one is complete ({@link ViewRecovery}): a restarted Redis is empty until the edge
 * nodes beat again, and that window must not turn clients away.
 */
public final class NodeRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);

    private final RegistryOptions options;
    private final NodeCodec codec = new NodeCodec();
    /** Resources made for this registry alone (closed with it), or null when the process shares its own. */
    private final RedisResources ownedResources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Snapshot snapshot = Snapshot.NONE;
    private final ViewRecovery recovery;

    /**
     * The live nodes, in node id order, read at {@code refreshedAtNanos} ({@link System#nanoTime()});
     * {@code loaded} is false until the first read succeeded.
     */
    public record Snapshot(List<NodeInfo> nodes, long refreshedAtNanos, boolean loaded) {
        static final Snapshot NONE = new Snapshot(List.of(), 0, false);
        private static final Duration NEVER_READ = Duration.ofDays(365_000);

        public Snapshot {
            nodes = List.copyOf(nodes);
        }

        /** How old the view is; effectively infinite before the first read. */
        public Duration age() {
            return loaded ? Duration.ofNanos(System.nanoTime() - refreshedAtNanos) : NEVER_READ;
        }
    }

    private NodeRegistry(RedisResources shared, String redisUri, RegistryOptions options, Duration refreshInterval) {
        this.options = options;
        this.recovery = new ViewRecovery(options.ttl());
        this.ownedResources = shared == null ? RedisResources.create() : null;
        this.client = RedisClients.client(shared == null ? ownedResources : shared, redisUri, options);
        try {
            this.connection = client.connect();
        } catch (RuntimeException e) {
            RedisClients.shutdown(client, ownedResources);
            throw e;
        }
        // A dropped connection is a possible Redis restart: hold the view until the nodes are back.
        connection.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> c) {
                recovery.lost();
            }
        });
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sb-registry");
            t.setDaemon(true);
            return t;
        });
        long period = refreshInterval.toMillis();
        scheduler.scheduleAtFixedRate(this::tick, 0, period, TimeUnit.MILLISECONDS);
    }

    /** Connects (blocking; call it at start-up) and starts refreshing every {@code refreshInterval}. */
    public static NodeRegistry start(String redisUri, RegistryOptions options, Duration refreshInterval) {
        return start(null, redisUri, options, refreshInterval);
    }

    /** As {@link #start(String, RegistryOptions, Duration)}, on the process's {@code shared} resources (null: its own). */
    public static NodeRegistry start(RedisResources shared, String redisUri, RegistryOptions options, Duration refreshInterval) {
        RegistryOptions.positive(refreshInterval, "refreshInterval");
        return new NodeRegistry(shared, redisUri, options, refreshInterval);
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** Whether the view is held against the last good one (after a dropped connection or a failed read). */
    public boolean recovering() {
        return recovery.recovering();
    }

    private void tick() {
        if (inFlight.compareAndSet(false, true)) {
            refresh().whenComplete((s, e) -> inFlight.set(false));
        }
    }

    /** Reads the registry now; the returned stage completes with the new snapshot. */
    public CompletionStage<Snapshot> refresh() {
        RedisAsyncCommands<String, String> redis = connection.async();
        return redis.smembers(options.indexKey())
                .thenCompose(ids -> ids.isEmpty()
                        ? CompletableFuture.completedFuture(List.<KeyValue<String, String>>of())
                        : redis.mget(ids.stream().map(options::nodeKey).toArray(String[]::new)))
                .thenApply(values -> publish(values, redis))
                .whenComplete((s, error) -> {
                    if (error != null) {
                        recovery.lost();
                    }
                    if (error != null && !closed && failing.compareAndSet(false, true)) {
                        log.warn("registry read failed ({}); placing from a view {} old", error.toString(), snapshot.age());
                    } else if (error == null && failing.compareAndSet(true, false)) {
                        log.info("registry read restored: {} nodes", s.nodes().size());
                    }
                });
    }

    /**
     * Every node's record as it is in Redis now, with what {@link NodeInfo} leaves out (the fleet status
     * page's {@code api_url} and {@code status}), in node id order; read on demand, asynchronously.
     */
    public CompletionStage<List<com.fasterxml.jackson.databind.JsonNode>> records() {
        RedisAsyncCommands<String, String> redis = connection.async();
        return redis.smembers(options.indexKey())
                .thenCompose(ids -> ids.isEmpty()
                        ? CompletableFuture.completedFuture(List.<KeyValue<String, String>>of())
                        : redis.mget(ids.stream().map(options::nodeKey).toArray(String[]::new)))
                .thenApply(values -> {
                    List<com.fasterxml.jackson.databind.JsonNode> out = new ArrayList<>();
                    for (KeyValue<String, String> kv : values) {
                        if (kv.hasValue()) {
                            codec.tree(kv.getValue()).filter(o -> codec.decode(kv.getValue()).isPresent()).ifPresent(out::add);
                        }
                    }
                    out.sort(Comparator.comparing(o -> o.path("node_id").asText()));
                    return out;
                });
    }

    private Snapshot publish(List<KeyValue<String, String>> values, RedisAsyncCommands<String, String> redis) {
        List<NodeInfo> nodes = new ArrayList<>(values.size());
        List<String> expired = new ArrayList<>();
        int prefix = options.keyPrefix().length();
        for (KeyValue<String, String> kv : values) {
            String id = kv.getKey().substring(prefix);
            if (kv.hasValue()) {
                // A record that does not parse, or names another node, is skipped: never trust it with clients.
                codec.decode(kv.getValue()).filter(n -> n.nodeId().equals(id)).ifPresent(nodes::add);
            } else {
                expired.add(id);
            }
        }
        if (!expired.isEmpty()) {
            redis.srem(options.indexKey(), expired.toArray(String[]::new));
        }
        nodes.sort(Comparator.comparing(NodeInfo::nodeId));
        long now = System.nanoTime();
        Snapshot s = new Snapshot(recovery.view(nodes, now), now, true);
        snapshot = s;
        return s;
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RedisClients.shutdown(client, ownedResources);
    }
}
