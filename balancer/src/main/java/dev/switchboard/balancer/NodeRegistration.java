package dev.switchboard.balancer;

import dev.switchboard.auth.Ids;
import dev.switchboard.balancer.internal.NodeCodec;
import dev.switchboard.balancer.internal.RedisClients;
import dev.switchboard.bridge.redis.RedisResources;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.SetArgs;
import java.net.SocketAddress;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An edge node's entry in the registry: started by {@code switchboard edge}, it
 * writes the node's record (public URL, live connections, capacity, draining) with
 * a TTL and refreshes it every heartbeat interval, so that a node that dies leaves
 * the registry by itself within the TTL. {@link #close()} deregisters at once.
 *
 * <p>Beats run on a dedicated scheduler thread and use Lettuce's async API, so
 * nothing here touches an event loop of the edge; the suppliers are called on that
 * thread and must be cheap and thread-safe (a counter read, a volatile flag).
 */
public final class NodeRegistration implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeRegistration.class);
    private static final long RECONNECT_RETRY_MS = 50;

    private final RegistryOptions options;
    private final String nodeId;
    private final String publicUrl;
    private final int capacity;
    private final IntSupplier connections;
    private final BooleanSupplier draining;
    private final NodeCodec codec = new NodeCodec();
    /** Resources made for this registration alone (closed with it), or null when the process shares its own. */
    private final RedisResources ownedResources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Quick retries left after a reconnect: the first beat may race the connection's activation. */
    private final AtomicInteger reconnectRetries = new AtomicInteger();
    private final String apiUrl;
    private final Supplier<? extends Map<String, ?>> status;
    private volatile Map<String, ?> lastStatus;
    private volatile int lastConnections;
    private volatile boolean lastDraining;

    public NodeRegistration(String redisUri, String nodeId, String publicUrl, int capacity,
                            IntSupplier connections, BooleanSupplier draining) {
        this(redisUri, nodeId, publicUrl, capacity, connections, draining, RegistryOptions.defaults());
    }

    /** Connects (blocking: call it at start-up, not on an event loop), writes the first beat and starts beating. */
    public NodeRegistration(String redisUri, String nodeId, String publicUrl, int capacity,
                            IntSupplier connections, BooleanSupplier draining, RegistryOptions options) {
        this(null, redisUri, nodeId, publicUrl, capacity, connections, draining, options);
    }

    /**
     * As {@link #NodeRegistration(String, String, String, int, IntSupplier, BooleanSupplier, RegistryOptions)},
     * on the process's {@code shared} Lettuce resources (null: its own).
     */
    public NodeRegistration(RedisResources shared, String redisUri, String nodeId, String publicUrl, int capacity,
                            IntSupplier connections, BooleanSupplier draining, RegistryOptions options) {
        this(shared, redisUri, nodeId, publicUrl, capacity, connections, draining, options, null, null);
    }

    /**
     * As above, and each beat also carries the node's server API URL ({@code apiUrl}, as balancers reach it: the
     * fleet status page's drain goes there; null: none) and {@code status}'s small map for that page (null: none).
     */
    public NodeRegistration(RedisResources shared, String redisUri, String nodeId, String publicUrl, int capacity,
                            IntSupplier connections, BooleanSupplier draining, RegistryOptions options,
                            String apiUrl, Supplier<? extends Map<String, ?>> status) {
        if (apiUrl != null && !(apiUrl.startsWith("http://") || apiUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("apiUrl must be an http:// or https:// URL: " + apiUrl);
        }
        this.apiUrl = apiUrl;
        this.status = status;
        if (!Ids.isValid(nodeId)) {
            throw new IllegalArgumentException("nodeId must be an id of 1-64 [A-Za-z0-9_.-]: " + nodeId);
        }
        if (publicUrl == null || !(publicUrl.startsWith("ws://") || publicUrl.startsWith("wss://"))) {
            throw new IllegalArgumentException("publicUrl must be a ws:// or wss:// URL: " + publicUrl);
        }
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.options = Objects.requireNonNull(options, "options");
        this.nodeId = nodeId;
        this.publicUrl = publicUrl;
        this.capacity = capacity;
        this.connections = Objects.requireNonNull(connections, "connections");
        this.draining = Objects.requireNonNull(draining, "draining");
        this.ownedResources = shared == null ? RedisResources.create() : null;
        this.client = RedisClients.client(shared == null ? ownedResources : shared, redisUri, options);
        try {
            this.connection = client.connect();
        } catch (RuntimeException e) {
            RedisClients.shutdown(client, ownedResources);
            throw e;
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sb-registration-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        long period = options.heartbeatInterval().toMillis();
        scheduler.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
        // A reconnect may be a Redis restart that lost this node's record: write it again at once,
        // not at the next tick, so that balancers see the node within a heartbeat of Redis's return.
        connection.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> c, SocketAddress address) {
                reconnectRetries.set((int) Math.max(1, period / RECONNECT_RETRY_MS));
                beatNow();
            }
        });
        beatNow();
    }

    public String nodeId() {
        return nodeId;
    }

    /**
     * Beats now instead of at the next tick: call it when the draining flag turns on, so
     * that balancers stop placing on this node within their refresh interval.
     */
    public void beatNow() {
        if (!closed.get()) {
            scheduler.execute(this::beat);
        }
    }

    private void beat() {
        if (closed.get() || !inFlight.compareAndSet(false, true)) {
            return; // The previous beat is still out (Redis is slow): one at a time, never a pile.
        }
        readSuppliers();
        NodeInfo record = new NodeInfo(nodeId, publicUrl, lastConnections, capacity, lastDraining,
                System.currentTimeMillis());
        RedisAsyncCommands<String, String> redis = connection.async();
        CompletableFuture<?> set = redis.set(options.nodeKey(nodeId), codec.encode(record, apiUrl, lastStatus),
                SetArgs.Builder.px(options.ttl().toMillis())).toCompletableFuture();
        CompletableFuture<?> index = redis.sadd(options.indexKey(), nodeId).toCompletableFuture();
        CompletableFuture.allOf(set, index).whenComplete((ok, error) -> {
            inFlight.set(false);
            if (error == null) {
                reconnectRetries.set(0);
            } else if (reconnectRetries.getAndDecrement() > 0 && !closed.get()) {
                try {
                    scheduler.schedule(this::beat, RECONNECT_RETRY_MS, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    // closed meanwhile: no more beats
                }
            }
            if (error != null && failing.compareAndSet(false, true)) {
                log.warn("node {}: registry heartbeat failed ({}); retrying every {}", nodeId, error.toString(),
                        options.heartbeatInterval());
            } else if (error == null && failing.compareAndSet(true, false)) {
                log.info("node {}: registry heartbeat restored", nodeId);
            }
        });
    }

    /** A throwing supplier must not silence the node: the last good values are sent instead. */
    private void readSuppliers() {
        try {
            lastConnections = Math.max(0, connections.getAsInt());
            lastDraining = draining.getAsBoolean();
            lastStatus = status == null ? null : status.get();
        } catch (RuntimeException e) {
            log.warn("node {}: connection count or draining supplier failed; sending the last values", nodeId, e);
        }
    }

    /** Stops beating and deletes the record, so that balancers drop the node at their next refresh. */
    @Override
    public void close() {
        if (!stopBeating()) {
            return;
        }
        try {
            RedisAsyncCommands<String, String> redis = connection.async();
            CompletableFuture.allOf(redis.srem(options.indexKey(), nodeId).toCompletableFuture(),
                    redis.del(options.nodeKey(nodeId)).toCompletableFuture())
                    .get(options.commandTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("node {}: could not deregister ({}); the record expires within {}", nodeId, e.toString(), options.ttl());
        }
        RedisClients.shutdown(client, ownedResources);
    }

    /** Stops beating without deregistering, as a crashed node would: the record expires by itself. */
    void abandon() {
        if (stopBeating()) {
            RedisClients.shutdown(client, ownedResources);
        }
    }

    private boolean stopBeating() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
