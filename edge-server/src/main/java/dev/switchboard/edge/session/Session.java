package dev.switchboard.edge.session;

import dev.switchboard.edge.hub.LocalUser;
import dev.switchboard.edge.hub.LoopHub;
import dev.switchboard.edge.pipeline.ClientAddress;
import dev.switchboard.wire.ChannelNames;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.WebSocketFrames;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.CompletableFuture;

/**
 * One client connection after the WebSocket upgrade: its identity, its
 * subscriptions, its lifecycle and what it reads. It is the only handler of the
 * connection's pipeline after the upgrade and the only per-session object, so
 * its fields are kept few (memory per idle connection is a target) and its
 * concerns are split over its base classes instead of over handlers:
 * {@link FrameReader} reads the WebSocket frames, {@link SessionWriter} writes
 * under the node's {@link OutboundBudget}.
 *
 * <p>All state is confined to the channel's event loop. Commands are decoded
 * here and executed by the node's shared {@link CommandDispatcher}.
 */
public final class Session extends SessionWriter {
    /** {@link #tokenExpiresAtSec} of a token that never expires ({@code Long.MAX_VALUE} ms). */
    private static final int NEVER = -1;

    private final long id;
    /** Who the session is: the node's record of its user once routed ({@link #subscribe}), shared by the user's sessions. */
    private LocalUser user;
    private final LoopHub hub;
    private final SessionShared shared;
    /**
     * The token's {@code exp} in whole epoch seconds (JWT NumericDate), rounded up, as an unsigned int (good until
     * 2106; {@link #NEVER} for none): 4 B less per connection than epoch milliseconds in a long.
     */
    private int tokenExpiresAtSec;
    /** The channels subscribed to but the personal one: see {@link Subscriptions} (null while none). */
    private Object subscriptions;
    /** Whether the node routes the user's personal channel to this session ({@code Hub#subscribePersonal}). */
    private boolean personal;
    private int loopIndex = -1;
    // Ticks of the loop's sweep, read by the Sweeper (same package).
    int lastSeenTick;
    int lastTypingTick = Integer.MIN_VALUE;
    float commandTokens = Float.NaN;
    int commandRefillTick;
    short rateRejections;
    private boolean present;

    public Session(long id, String userId, String orgId, long tokenExpiresAtMs, LoopHub hub, SessionShared shared) {
        this.id = id;
        // The node's record of the user when it has one (a connection slot taken at the upgrade): one instance of
        // the user's names per node.
        this.user = hub == null ? new LocalUser(orgId, userId) : hub.hub().users().identity(orgId, userId);
        tokenExpiresAtMs(tokenExpiresAtMs);
        this.hub = hub;
        this.shared = shared;
    }

    // ------------------------------------------------------------ identity

    public long id() {
        return id;
    }

    public String userId() {
        return user.id();
    }

    public String orgId() {
        return user.org();
    }

    /** The node's record of this session's user (its own until the personal channel is routed). */
    public LocalUser user() {
        return user;
    }

    /** When the token expires (epoch ms, a whole second: {@code exp} is in seconds); 0 for a session without one. */
    public long tokenExpiresAtMs() {
        return tokenExpiresAtSec == NEVER ? Long.MAX_VALUE : Integer.toUnsignedLong(tokenExpiresAtSec) * 1000;
    }

    public void tokenExpiresAtMs(long v) {
        long sec = v <= 0 ? 0 : v / 1000 + (v % 1000 == 0 ? 0 : 1);
        tokenExpiresAtSec = sec >= 0xFFFF_FFFFL ? NEVER : (int) sec;
    }

    @Override
    public LoopHub hub() {
        return hub;
    }

    @Override
    SessionShared shared() {
        return shared;
    }

    public boolean isConnected() {
        return state == CONNECTED;
    }

    void markConnected() {
        if (state == OPEN) {
            state = CONNECTED;
        }
    }

    // ------------------------------------------------------------ lifecycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        this.lastSeenTick = hub.tick();
        this.stateTick = lastSeenTick;
        hub.register(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cleanUp();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cleanUp();
    }

    private void cleanUp() {
        releasePartial();
        boolean held = releaseOutboundState();
        if (loopIndex < 0 && subscriptions == null && !personal && !hasFragments() && !held) {
            return;
        }
        if (state != CLOSING && loopIndex >= 0) {
            shared.metrics().latencies().lostConnection();
        }
        state = CLOSING;
        String[] channels = Subscriptions.toArray(subscriptions);
        if (present) {
            present = false;
            shared.presence().disconnected(this, ChannelNames.chatOnly(channels));
        }
        for (String channel : channels) {
            hub.unsubscribe(this, channel);
        }
        subscriptions = null;
        if (personal) {
            personal = false;
            hub.hub().unsubscribePersonal(this);
        }
        releaseFragments();
        if (loopIndex >= 0) {
            shared.limits().release(user.org(), user.id(), ClientAddress.key(channel()));
        }
        hub.deregister(this);
    }

    // ------------------------------------------------------------ inbound

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Any bytes are proof of life, also those of a frame not complete yet.
        lastSeenTick = hub.tick();
        super.channelRead(ctx, msg);
    }

    @Override
    void onFrame(ChannelHandlerContext ctx, int opcode, boolean fin, ByteBuf payload) {
        switch (opcode) {
            case OP_BINARY, OP_CONTINUATION -> {
                // A fragment is charged (a flood of empty ones would be free otherwise) but never refused: that would
                // break the message. The commands of a complete message are charged one by one.
                if (!fin) {
                    CommandBudget.admit(this, shared);
                }
                onData(ctx, opcode == OP_CONTINUATION, fin, payload);
            }
            case OP_PING -> {
                if (CommandBudget.admit(this, shared)) {
                    send(WebSocketFrames.pong(ctx.alloc(), payload));
                }
            }
            // Proof of life (lastSeenTick is already updated), charged like a command so that a flood ends.
            case OP_PONG -> CommandBudget.admit(this, shared);
            case OP_CLOSE -> onClose(payload);
            default -> disconnect(DisconnectCode.PROTOCOL_ERROR, "text frames are not supported: send binary protobuf frames");
        }
    }

    @Override
    void onBadFrame(ChannelHandlerContext ctx, boolean tooLarge, String why) {
        shared.metrics().protocolError();
        disconnect(tooLarge ? DisconnectCode.MESSAGE_TOO_LARGE : DisconnectCode.PROTOCOL_ERROR, why);
    }

    @Override
    boolean discarding() {
        return state == CLOSING;
    }

    @Override
    int maxFrameBytes() {
        return shared.maxMessageBytes();
    }

    @Override
    void onMessage(ChannelHandlerContext ctx, ByteBuf body) {
        shared.dispatcher().dispatchAll(this, body);
    }

    private void onClose(ByteBuf payload) {
        int code = WebSocketClose.echoCode(payload);
        if (code < 0) {
            onBadFrame(ctx(), false, "invalid close frame: status code " + (payload.readableBytes() >= 2
                    ? payload.getUnsignedShort(payload.readerIndex()) : "truncated"));
            return;
        }
        echoClose(code);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // I/O errors (connection reset by peer) end up here; nothing to tell the client.
        ctx.close();
    }

    // ------------------------------------------------------------ subscriptions

    public boolean isSubscribed(String channel) {
        return Subscriptions.contains(subscriptions, channel) || personal && isOwnPersonal(channel);
    }

    /** The channels subscribed to, the personal one included. */
    public int subscriptionCount() {
        return Subscriptions.size(subscriptions) + (personal ? 1 : 0);
    }

    private boolean isOwnPersonal(String channel) {
        return channel.equals(user.channel());
    }

    /** Subscribes on this loop; completes when the broker delivers the channel to this node. Loop only. */
    public CompletableFuture<Void> subscribe(String channel) {
        if (state == CLOSING) {
            return CompletableFuture.failedFuture(new IllegalStateException("session closing"));
        }
        if (isOwnPersonal(channel)) {
            // Routed by the node to this session: no subscriber set of its own (ADR 0015).
            personal = true;
            user = hub.hub().subscribePersonal(this);
            return user.ready();
        }
        CompletableFuture<Void> ready = hub.subscribe(this, channel);
        // The loop's own instance of the name, not the one decoded from this client's command: a copy per session
        // of a shared channel's name would cost as much as the subscription itself.
        subscriptions = Subscriptions.add(subscriptions, hub.channelName(channel));
        return ready;
    }

    /** Loop only. */
    public boolean unsubscribe(String channel) {
        if (personal && isOwnPersonal(channel)) {
            personal = false;
            hub.hub().unsubscribePersonal(this);
            return true;
        }
        if (!Subscriptions.contains(subscriptions, channel)) {
            return false;
        }
        subscriptions = Subscriptions.remove(subscriptions, channel);
        hub.unsubscribe(this, channel);
        forgetRecovery(channel);
        return true;
    }

    /** Connect completed: the session holds a presence lease until it closes. */
    void markPresent(java.util.Collection<String> chatChannels) {
        if (state == CONNECTED && !present) {
            present = true;
            shared.presence().connected(this, chatChannels);
        }
    }

    // ------------------------------------------------------------ sweep support

    public int loopIndex() {
        return loopIndex;
    }

    public void loopIndex(int i) {
        loopIndex = i;
    }

    @Override
    public String toString() {
        return "Session{" + id + " " + user.org() + "/" + user.id() + "}";
    }
}
