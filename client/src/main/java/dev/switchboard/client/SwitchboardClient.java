package dev.switchboard.client;

import dev.switchboard.client.internal.Backoff;
import dev.switchboard.client.internal.ChannelTracker;
import dev.switchboard.client.internal.Dialer;
import dev.switchboard.client.internal.Keepalive;
import dev.switchboard.client.internal.Outbox;
import dev.switchboard.client.internal.SafeListener;
import dev.switchboard.client.internal.SerialExecutor;
import dev.switchboard.client.internal.WireConnection;
import dev.switchboard.client.internal.WireListener;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.proto.ConnectResult;
import dev.switchboard.wire.proto.Disconnect;
import dev.switchboard.wire.proto.ServerFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Switchboard client: one logical session over as many WebSockets as it takes.
 * It connects through an {@link Endpoint} (fixed URLs or the balancer), reconnects
 * with backoff that follows the server's advice (never after a 4500-4999 code),
 * resumes every chat channel from the last sequence it delivered, fills gaps from
 * history, drops duplicates, queues publishes while disconnected and sends them
 * once, and refreshes its token before it expires.
 *
 * <p>Threading: every listener call and every returned future's completion happens
 * on the client's serial callback executor (see {@link SwitchboardClientOptions}),
 * never on a network thread. Methods may be called from any thread.
 *
 * <pre>{@code
 * try (ClientResources resources = new ClientResources();
 *      SwitchboardClient client = SwitchboardClient.builder(Endpoint.fixed(URI.create("ws://127.0.0.1:8080/ws")),
 *              TokenProvider.of(token), resources).listener(listener).build()) {
 *     Session s = client.connect().join();
 *     client.sendMessage("demo/chat/1", "hello").join();
 * }
 * }</pre>
 */
public final class SwitchboardClient implements AutoCloseable {
    public static final String VERSION = "0.2.0";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final SwitchboardClientOptions options;
    private final TokenProvider tokens;
    private final ClientResources resources;
    private final SafeListener listener;
    private final Dialer dialer;
    private final SerialExecutor serial;
    private final Backoff backoff;
    private final Outbox outbox;
    private final ChannelTracker channels;
    private final List<CompletableFuture<Session>> waiters = new ArrayList<>();
    // Confined to the serial executor:
    private volatile ConnectionState state = ConnectionState.IDLE;
    private WireConnection conn;
    private Disconnect advice;
    private volatile Session session;
    private int connections;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private Keepalive keepalive;

    private SwitchboardClient(Builder b) {
        this.options = b.options;
        this.tokens = b.tokens;
        this.resources = b.resources;
        this.listener = new SafeListener(b.listener);
        this.dialer = new Dialer(b.endpoint, b.tokens, b.resources, b.options.connectTimeout());
        this.serial = new SerialExecutor(options.callbackExecutor());
        this.backoff = new Backoff(options.backoffBase(), options.backoffMax(), options.random());
        this.outbox = new Outbox(options.maxQueuedPublishes(), options.publishAttempts(), options.publishRetryDelay().toMillis(),
                serial, resources.scheduler());
        this.channels = new ChannelTracker(options.historyPageSize(), serial, listener::event, this::report);
    }

    public static Builder builder(Endpoint endpoint, TokenProvider tokens, ClientResources resources) {
        return new Builder(endpoint, tokens, resources);
    }

    // ------------------------------------------------------------ lifecycle

    /** Starts connecting (and reconnecting); completes with the first connected session. */
    public CompletableFuture<Session> connect() {
        CompletableFuture<Session> f = new CompletableFuture<>();
        serial.execute(() -> {
            if (state == ConnectionState.CLOSED) {
                f.completeExceptionally(new IllegalStateException("client closed"));
                return;
            }
            if (state == ConnectionState.CONNECTED) {
                f.complete(session);
                return;
            }
            waiters.add(f);
            if (state == ConnectionState.IDLE) {
                attempt();
            }
        });
        return f;
    }

    public ConnectionState state() {
        return state;
    }

    /** The current (or last) connection's session; null before the first. */
    public Session session() {
        return session;
    }

    /** The last sequence delivered per chat channel (what the client resumes from). */
    public Map<String, Long> positions() {
        return serial.call(channels::positions).join();
    }

    /** Closes for good: no reconnect; queued publishes fail. */
    @Override
    public void close() {
        serial.call(() -> {
            if (state != ConnectionState.CLOSED) {
                setState(ConnectionState.CLOSED);
                cancelTimers();
                IllegalStateException closed = new IllegalStateException("client closed");
                outbox.failAll(closed);
                failWaiters(closed);
                if (conn != null) {
                    conn.close();
                    conn = null;
                }
            }
            return null;
        }).join();
    }

    // ------------------------------------------------------------ commands

    /** Subscribes now and after every reconnect (ephemeral channels; chat channels are subscribed by the server). */
    public CompletableFuture<Void> subscribe(String channel) {
        return serial.call(() -> {
            channels.keepSubscribed(channel);
            return state == ConnectionState.CONNECTED ? channels.subscribe(conn, channel) : CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(f -> f);
    }

    public CompletableFuture<Void> unsubscribe(String channel) {
        return serial.call(() -> {
            channels.stopSubscribing(channel);
            return conn == null ? CompletableFuture.<Void>completedFuture(null)
                    : conn.unsubscribe(channel).thenApplyAsync(r -> (Void) null, serial);
        }).thenCompose(f -> f);
    }

    /**
     * Publishes bytes. Queued while disconnected and sent once after the reconnect;
     * on chat channels a publish whose connection dropped is sent again with the same
     * {@code clientMsgId} (null: a fresh one), which the server stores once.
     */
    public CompletableFuture<PublishResult> publish(String channel, byte[] payload, String clientMsgId) {
        String id = clientMsgId == null || clientMsgId.isEmpty() ? UUID.randomUUID().toString() : clientMsgId;
        byte[] copy = payload.clone();
        return serial.call(() -> state == ConnectionState.CLOSED
                ? CompletableFuture.<PublishResult>failedFuture(new IllegalStateException("client closed"))
                : outbox.add(channel, copy, id)).thenCompose(f -> f);
    }

    /** Sends a chat message ({@code {"text": ...}}) with a fresh client_msg_id. */
    public CompletableFuture<PublishResult> sendMessage(String channel, String text) {
        return sendMessage(channel, text, null);
    }

    public CompletableFuture<PublishResult> sendMessage(String channel, String text, String clientMsgId) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(java.util.Map.of("text", text));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return publish(channel, json, clientMsgId);
    }

    /** One page of a chat channel's history: newest first before {@code beforeSeq} (0: from the newest). */
    public CompletableFuture<HistoryPage> historyBefore(String channel, long beforeSeq, int limit) {
        return withConnection(c -> c.historyBefore(channel, beforeSeq, limit)).thenApply(ChannelTracker::page);
    }

    /** One page oldest first after {@code afterSeq}. */
    public CompletableFuture<HistoryPage> historyAfter(String channel, long afterSeq, int limit) {
        return withConnection(c -> c.historyAfter(channel, afterSeq, limit)).thenApply(ChannelTracker::page);
    }

    /** One page of a thread's replies, oldest first after {@code afterSeq} ({@link ChatActions#threadPage}). */
    CompletableFuture<HistoryPage> threadAfter(String channel, long rootId, long afterSeq, int limit) {
        return withConnection(c -> c.threadAfter(channel, rootId, afterSeq, limit)).thenApply(ChannelTracker::page);
    }

    /** A channel's history page by page: newest first ({@code forward} false) or oldest first from {@code from}. */
    public HistoryPager history(String channel, boolean forward, long from, int pageSize) {
        return new HistoryPager(this, channel, forward, from, pageSize);
    }

    /** Who is online in a channel. */
    public CompletableFuture<List<String>> presence(String channel) {
        return withConnection(c -> c.presence(channel)).thenApply(List::copyOf);
    }

    /** When each offline member of a chat channel was last online (epoch ms); members never seen offline are absent. */
    public CompletableFuture<Map<String, Long>> lastSeen(String channel) {
        return withConnection(c -> c.presenceResult(channel)).thenApply(r -> Map.copyOf(r.getLastSeenMsMap()));
    }

    /** Tells the channel's subscribers this user is typing (fire and forget; dropped while disconnected). */
    public void typing(String channel) {
        serial.execute(() -> {
            if (state == ConnectionState.CONNECTED && conn != null) {
                conn.typing(channel);
            }
        });
    }

    /** Moves the read checkpoint (never backwards); completes with the checkpoint after the call. */
    public CompletableFuture<Long> markRead(String channel, long seq) {
        return withConnection(c -> c.markRead(channel, seq));
    }

    /** Runs a command on the current connection, waiting for one up to the request timeout. */
    private <T> CompletableFuture<T> withConnection(java.util.function.Function<WireConnection, CompletableFuture<T>> command) {
        CompletableFuture<Session> ready = serial.call(() -> {
            if (state == ConnectionState.CONNECTED) {
                return CompletableFuture.completedFuture(session);
            }
            if (state == ConnectionState.CLOSED || state == ConnectionState.IDLE) {
                return CompletableFuture.<Session>failedFuture(new IllegalStateException("not connected (" + state + ")"));
            }
            CompletableFuture<Session> f = new CompletableFuture<>();
            waiters.add(f);
            return f;
        }).thenCompose(f -> f);
        return ready.orTimeout(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .thenComposeAsync(s -> {
                    WireConnection c = conn;
                    if (c == null) {
                        return CompletableFuture.<T>failedFuture(new ConnectionClosedException("not connected"));
                    }
                    return command.apply(c).orTimeout(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
                }, serial)
                .handleAsync((v, err) -> {
                    if (err != null) {
                        throw err instanceof CompletionException ce ? ce : new CompletionException(err);
                    }
                    return v;
                }, serial);
    }

    // ------------------------------------------------------------ connecting

    private void attempt() {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        setState(ConnectionState.CONNECTING);
        dialer.dial(PerConnection::new).whenCompleteAsync((dialed, err) -> {
            if (err != null) {
                if (state != ConnectionState.CLOSED) {
                    report(err);
                    scheduleReconnect(1006, "connect failed: " + Dialer.rootMessage(err), 0);
                }
            } else {
                opened(dialed);
            }
        }, serial);
    }

    private void opened(Dialer.Dialed<PerConnection> o) {
        if (state == ConnectionState.CLOSED) {
            o.conn().close();
            return;
        }
        conn = o.conn();
        o.events().conn = o.conn();
        advice = null;
        o.conn().hello(channels.positions(), "switchboard-java", VERSION)
                .orTimeout(options.connectReplyTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((hello, err) -> {
                    if (err != null) {
                        report(err);
                        o.conn().channel().close(); // the close handler reconnects through the backoff
                    } else if (conn == o.conn()) {
                        connected(o, hello);
                    }
                }, serial);
    }

    private void connected(Dialer.Dialed<PerConnection> o, ConnectResult hello) {
        backoff.reset();
        connections++;
        channels.connected(o.conn(), hello);
        session = new Session(hello.getSessionId(), hello.getNodeId(), hello.getUserId(), hello.getOrgId(), o.url(),
                List.copyOf(hello.getChannelsList()), hello.getTokenExpiresAtMs(), connections);
        keepalive = new Keepalive(o.conn(), resources.scheduler(), serial, tokens, this::tokenRefreshed, this::report);
        keepalive.pingEvery(options.pingInterval() != null ? options.pingInterval().toMillis() : 0);
        keepalive.refreshBefore(hello.getTokenExpiresAtMs());
        setState(ConnectionState.CONNECTED);
        Session s = session;
        listener.onConnected(s);
        List<CompletableFuture<Session>> w = new ArrayList<>(waiters);
        waiters.clear();
        w.forEach(f -> f.complete(s));
        outbox.attach(o.conn());
    }

    private void onClosed(WireConnection c, int code, String reason) {
        if (c != conn) {
            return;
        }
        conn = null;
        cancelTimers();
        outbox.detach();
        channels.disconnected();
        if (state == ConnectionState.CLOSED) {
            return;
        }
        Disconnect a = advice;
        if ((code >= 0 && !DisconnectCode.reconnect(code)) || (a != null && !a.getReconnect())) {
            String why = a != null && !a.getReason().isEmpty() ? a.getReason() : reason.isEmpty() ? "closed with code " + code : reason;
            setState(ConnectionState.CLOSED);
            listener.onDisconnected(new Disconnected(code, why, false, 0));
            IllegalStateException err = new IllegalStateException("the server closed the session (" + code + ": " + why + "); not reconnecting");
            outbox.failAll(err);
            failWaiters(err);
            return;
        }
        scheduleReconnect(code < 0 ? 1006 : code, a != null && !a.getReason().isEmpty() ? a.getReason() : reason,
                a != null ? a.getReconnectAfterMs() : 0);
    }

    private void scheduleReconnect(int code, String reason, long adviceMs) {
        long delay = backoff.nextDelayMs(adviceMs);
        setState(ConnectionState.DISCONNECTED);
        listener.onDisconnected(new Disconnected(code, reason, true, delay));
        later(this::attempt, delay);
    }

    private void tokenRefreshed(long expiresAtMs) {
        Session s = session;
        if (s != null) {
            session = new Session(s.sessionId(), s.nodeId(), s.userId(), s.orgId(), s.url(), s.channels(), expiresAtMs, s.connection());
        }
    }

    // ------------------------------------------------------------ events

    /** The network thread's events, handed to the serial executor. */
    private final class PerConnection implements WireListener {
        volatile WireConnection conn;

        @Override
        public void onPublication(dev.switchboard.wire.proto.Publication p) {
            serial.execute(() -> channels.offer(ChannelTracker.publication(p)));
        }

        @Override
        public void onDisconnect(Disconnect d) {
            serial.execute(() -> advice = d);
        }

        @Override
        public void onPush(ServerFrame push) {
            serial.execute(() -> channels.push(push));
        }

        @Override
        public void onClosed(int code, String reason) {
            serial.execute(() -> SwitchboardClient.this.onClosed(conn, code, reason));
        }
    }

    private void report(Throwable err) {
        listener.onError(err instanceof CompletionException && err.getCause() != null ? err.getCause() : err);
    }

    private void setState(ConnectionState next) {
        ConnectionState previous = state;
        if (previous != next) {
            state = next;
            listener.onStateChanged(next, previous);
        }
    }

    private void later(Runnable task, long delayMs) {
        timers.add(resources.scheduler().schedule(() -> serial.execute(task), delayMs, TimeUnit.MILLISECONDS));
    }

    private void cancelTimers() {
        timers.forEach(t -> t.cancel(false));
        timers.clear();
        if (keepalive != null) {
            keepalive.stop();
            keepalive = null;
        }
    }

    private void failWaiters(RuntimeException err) {
        List<CompletableFuture<Session>> w = new ArrayList<>(waiters);
        waiters.clear();
        w.forEach(f -> f.completeExceptionally(err));
    }

    /** How to build a client. */
    public static final class Builder {
        private final Endpoint endpoint;
        private final TokenProvider tokens;
        private final ClientResources resources;
        private ClientListener listener = new ClientListener() { };
        private SwitchboardClientOptions options = SwitchboardClientOptions.defaults();

        private Builder(Endpoint endpoint, TokenProvider tokens, ClientResources resources) {
            this.endpoint = java.util.Objects.requireNonNull(endpoint, "endpoint");
            this.tokens = java.util.Objects.requireNonNull(tokens, "tokens");
            this.resources = java.util.Objects.requireNonNull(resources, "resources");
        }

        public Builder listener(ClientListener v) {
            listener = java.util.Objects.requireNonNull(v);
            return this;
        }

        public Builder options(SwitchboardClientOptions v) {
            options = java.util.Objects.requireNonNull(v);
            return this;
        }

        public SwitchboardClient build() {
            return new SwitchboardClient(this);
        }
    }
}
