package dev.switchboard.client;

import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.proto.ConnectResult;
import dev.switchboard.wire.proto.Disconnect;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.PublishResult;
import dev.switchboard.wire.proto.RecoveryResult;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.StreamPosition;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client session that survives its connections: it connects through an
 * {@link Endpoint} (a balancer, or a fixed edge), reconnects with exponential
 * backoff and jitter when the server or the network drops it (honouring the
 * server's reconnect advice and never reconnecting after a terminal code), and
 * keeps every chat channel gap-free and duplicate-free by sequence: on reconnect
 * it tells the server where it left off, and any gap it still sees (a lost
 * broker message, a server too far behind to replay) is filled from history.
 * The listener sees each sequenced publication once, in order.
 */
public final class ReconnectingClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReconnectingClient.class);
    private static final int GAP_PAGE = 200;

    private final Endpoint endpoint;
    private final Supplier<String> tokens;
    private final ClientResources resources;
    private final Listener listener;
    private final Backoff backoff;
    private final SequencedChannels sequences = new SequencedChannels();
    private final Set<String> explicit = ConcurrentHashMap.newKeySet();
    private final Set<String> filling = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<ConnectResult> firstConnect = new CompletableFuture<>();
    private volatile SwitchboardClient current;
    private volatile boolean closed;
    private volatile int connections;

    private ReconnectingClient(Builder b) {
        this.endpoint = b.endpoint;
        this.tokens = b.tokens;
        this.resources = b.resources;
        this.listener = b.listener;
        this.backoff = new Backoff(b.backoffBase, b.backoffMax);
    }

    public static Builder builder(Endpoint endpoint, Supplier<String> tokens, ClientResources resources) {
        return new Builder(endpoint, tokens, resources);
    }

    /** Connects; completes with the first Connect answer (and keeps reconnecting afterwards). */
    public CompletableFuture<ConnectResult> start() {
        attempt();
        return firstConnect;
    }

    /** Publishes on the current connection; fails at once while disconnected (retry with the same client_msg_id). */
    public CompletableFuture<PublishResult> publish(String channel, byte[] payload, String clientMsgId) {
        SwitchboardClient c = current;
        if (c == null || !c.isOpen()) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        return c.publish(channel, payload, clientMsgId);
    }

    /** Subscribes now and again after every reconnect. */
    public CompletableFuture<ServerFrame> subscribe(String channel) {
        explicit.add(channel);
        SwitchboardClient c = current;
        return c == null ? CompletableFuture.failedFuture(new IllegalStateException("not connected")) : c.subscribe(channel);
    }

    /** The connection in use, or null between connections. */
    public SwitchboardClient connection() {
        return current;
    }

    /** How many connections were opened so far (1 + reconnects). */
    public int connections() {
        return connections;
    }

    /** The last sequence delivered per chat channel. */
    public Map<String, Long> positions() {
        return sequences.positions();
    }

    private void attempt() {
        if (closed) {
            return;
        }
        String token = tokens.get();
        endpoint.resolve(token).thenCompose(urls -> tryUrls(urls, 0, token)).whenComplete((client, err) -> {
            if (err != null) {
                log.debug("connect failed: {}", err.toString());
                scheduleReconnect(null);
            } else {
                opened(client);
            }
        });
    }

    private CompletableFuture<SwitchboardClient> tryUrls(List<URI> urls, int i, String token) {
        return SwitchboardClient.builder(urls.get(i), token).resources(resources).listener(new PerConnection())
                .connect().exceptionallyCompose(err -> i + 1 < urls.size()
                        ? tryUrls(urls, i + 1, token) : CompletableFuture.failedFuture(err));
    }

    private void opened(SwitchboardClient c) {
        if (closed) {
            c.close();
            return;
        }
        current = c;
        connections++;
        c.hello(sequences.positions()).whenComplete((hello, err) -> {
            if (err != null) {
                c.channel().close();
                return;
            }
            backoff.reset();
            for (StreamPosition p : hello.getChannelPositionsList()) {
                // Channels this client has no position for start at the server's last sequence.
                sequences.trackIfUnknown(p.getChannel(), p.getSeq());
            }
            for (RecoveryResult r : hello.getRecoveredList()) {
                if (!r.getRecovered()) {
                    // Too far behind for the server to replay: read the gap from history ourselves.
                    fillGap(r.getChannel());
                }
            }
            explicit.forEach(c::subscribe);
            safely(() -> listener.onConnected(hello));
            firstConnect.complete(hello);
        });
    }

    private void scheduleReconnect(Disconnect advice) {
        if (closed) {
            return;
        }
        long delay = Math.max(advice == null ? 0 : advice.getReconnectAfterMs(), backoff.nextDelayMs());
        safely(() -> listener.onReconnecting(delay));
        resources.group().next().schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
    }

    private void onPublication(Publication p) {
        if (sequences.offer(p, pub -> safely(() -> listener.onPublication(pub)))) {
            fillGap(p.getChannel());
        }
    }

    /** Reads what is missing after the last delivered sequence of {@code channel}, page by page. */
    private void fillGap(String channel) {
        SwitchboardClient c = current;
        long after = sequences.last(channel);
        if (c == null || after < 0 || !filling.add(channel)) {
            return;
        }
        c.historyAfter(channel, after, GAP_PAGE).whenComplete((page, err) -> {
            filling.remove(channel);
            if (err != null) {
                log.debug("history of {} after {} failed: {}", channel, after, err.toString());
                return;
            }
            boolean gap = false;
            for (Publication p : page.getPublicationsList()) {
                gap = sequences.offer(p, pub -> safely(() -> listener.onPublication(pub)));
            }
            if (gap || page.getPublicationsCount() == GAP_PAGE) {
                fillGap(channel);
            }
        });
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("listener failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        SwitchboardClient c = current;
        if (c != null) {
            c.close();
        }
    }

    /** The listener of one connection; forwards to the session's logic. */
    private final class PerConnection implements ClientListener {
        private volatile Disconnect advice;

        @Override
        public void onPublication(Publication p) {
            ReconnectingClient.this.onPublication(p);
        }

        @Override
        public void onDisconnect(Disconnect d) {
            advice = d;
            safely(() -> listener.onDisconnect(d));
        }

        @Override
        public void onPush(ServerFrame push) {
            switch (push.getBodyCase()) {
                case SUBSCRIBED -> sequences.track(push.getSubscribed().getChannel(), push.getSubscribed().getLastSeq());
                case MAY_HAVE_MISSED -> fillGap(push.getMayHaveMissed().getChannel());
                default -> { }
            }
            safely(() -> listener.onPush(push));
        }

        @Override
        public void onClosed(int code, String reason) {
            current = null;
            if (closed) {
                safely(() -> listener.onClosed(code, reason));
            } else if (code >= 0 && !DisconnectCode.reconnect(code)) {
                closed = true;
                firstConnect.completeExceptionally(new IllegalStateException("closed with terminal code " + code + ": " + reason));
                safely(() -> listener.onClosed(code, reason));
            } else {
                scheduleReconnect(advice);
            }
        }
    }

    /** What the application hears: pushes (each sequenced publication once, in order) and connection events. */
    public interface Listener extends ClientListener {
        /** A connection is established and Connect answered (the first time and after each reconnect). */
        default void onConnected(ConnectResult hello) {
        }

        /** The connection dropped; the next attempt follows in {@code delayMs}. */
        default void onReconnecting(long delayMs) {
        }
    }

    /** Connection settings. */
    public static final class Builder {
        private final Endpoint endpoint;
        private final Supplier<String> tokens;
        private final ClientResources resources;
        private Listener listener = new Listener() { };
        private Duration backoffBase = Duration.ofMillis(200);
        private Duration backoffMax = Duration.ofSeconds(10);

        private Builder(Endpoint endpoint, Supplier<String> tokens, ClientResources resources) {
            this.endpoint = Objects.requireNonNull(endpoint);
            this.tokens = Objects.requireNonNull(tokens);
            this.resources = Objects.requireNonNull(resources);
        }

        public Builder listener(Listener v) { listener = v; return this; }
        /** Reconnect backoff: attempt n waits a random time up to min(max, base × 2^n). */
        public Builder backoff(Duration base, Duration max) { backoffBase = base; backoffMax = max; return this; }

        public ReconnectingClient build() {
            return new ReconnectingClient(this);
        }
    }
}
