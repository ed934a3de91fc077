package dev.switchboard.edge.session;

import dev.switchboard.edge.hub.LoopHub;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.WebSocketFrames;
import dev.switchboard.wire.proto.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One client connection after the WebSocket upgrade: its identity, its
 * subscriptions and its outbound budget. It is the only handler of the
 * connection's pipeline after the upgrade (it reads the WebSocket frames itself,
 * see {@link FrameReader}) and the only per-session object, so its fields are
 * kept few: memory per idle connection is a target.
 *
 * <p>All state is confined to the channel's event loop. Commands are decoded
 * here and executed by the node's shared {@link CommandDispatcher}.
 */
public final class Session extends FrameReader {
    private static final byte OPEN = 0;
    private static final byte CONNECTED = 1;
    private static final byte CLOSING = 2;

    private final long id;
    private final String userId;
    private final String orgId;
    private final LoopHub hub;
    private final SessionShared shared;
    private long tokenExpiresAtMs;
    private ChannelHandlerContext ctx;
    private final Subscriptions subscriptions = new Subscriptions();
    private Recovery recovery;
    private int loopIndex = -1;
    // Ticks of the loop's sweep, read by the Sweeper (same package).
    int lastSeenTick;
    int openedTick;
    int unwritableSinceTick = -1;
    int closingTick;
    int lastTypingTick = Integer.MIN_VALUE;
    float commandTokens = Float.NaN;
    int commandRefillTick;
    short rateRejections;
    private byte state = OPEN;
    private boolean dirty;
    private boolean present;

    public Session(long id, String userId, String orgId, long tokenExpiresAtMs, LoopHub hub, SessionShared shared) {
        this.id = id;
        this.userId = userId;
        this.orgId = orgId;
        this.tokenExpiresAtMs = tokenExpiresAtMs;
        this.hub = hub;
        this.shared = shared;
    }

    // ------------------------------------------------------------ identity

    public long id() {
        return id;
    }

    public String userId() {
        return userId;
    }

    public String orgId() {
        return orgId;
    }

    public long tokenExpiresAtMs() {
        return tokenExpiresAtMs;
    }

    public void tokenExpiresAtMs(long v) {
        tokenExpiresAtMs = v;
    }

    public LoopHub hub() {
        return hub;
    }

    SessionShared shared() {
        return shared;
    }

    public Channel channel() {
        return ctx.channel();
    }

    public boolean isConnected() {
        return state == CONNECTED;
    }

    public boolean isClosing() {
        return state == CLOSING;
    }

    void markConnected() {
        if (state == OPEN) {
            state = CONNECTED;
        }
    }

    // ------------------------------------------------------------ lifecycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.lastSeenTick = hub.tick();
        this.openedTick = lastSeenTick;
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
        if (loopIndex < 0 && subscriptions.isEmpty() && !hasFragments() && recovery == null) {
            return;
        }
        state = CLOSING;
        String[] channels = subscriptions.toArray();
        if (present) {
            present = false;
            shared.presence().disconnected(this, dev.switchboard.wire.ChannelNames.chatOnly(channels));
        }
        for (String channel : channels) {
            hub.unsubscribe(this, channel);
        }
        subscriptions.clear();
        releaseFragments();
        if (recovery != null) {
            recovery.releaseAll();
            recovery = null;
        }
        if (loopIndex >= 0) {
            shared.limits().release(orgId, userId, remoteIp());
        }
        hub.deregister(this);
    }

    private String remoteIp() {
        return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
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
            case OP_BINARY, OP_CONTINUATION -> onData(ctx, opcode == OP_CONTINUATION, fin, payload);
            case OP_PING -> send(WebSocketFrames.pong(ctx.alloc(), payload));
            case OP_PONG -> {
                // Proof of life; lastSeenTick is already updated.
            }
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
            onBadFrame(ctx, false, "invalid close frame: status code " + (payload.readableBytes() >= 2
                    ? payload.getUnsignedShort(payload.readerIndex()) : "truncated"));
            return;
        }
        state = CLOSING;
        ctx.writeAndFlush(WebSocketFrames.close(ctx.alloc(), code, "")).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // I/O errors (connection reset by peer) end up here; nothing to tell the client.
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            unwritableSinceTick = -1;
        }
        ctx.fireChannelWritabilityChanged();
    }

    // ------------------------------------------------------------ subscriptions

    public boolean isSubscribed(String channel) {
        return subscriptions.contains(channel);
    }

    public int subscriptionCount() {
        return subscriptions.size();
    }

    public String[] subscribedChannels() {
        return subscriptions.toArray();
    }

    /** Subscribes on this loop; completes when the broker delivers the channel to this node. Loop only. */
    public CompletableFuture<Void> subscribe(String channel) {
        if (state == CLOSING) {
            return CompletableFuture.failedFuture(new IllegalStateException("session closing"));
        }
        subscriptions.add(channel);
        return hub.subscribe(this, channel);
    }

    /** Loop only. */
    public boolean unsubscribe(String channel) {
        if (!subscriptions.contains(channel)) {
            return false;
        }
        subscriptions.remove(channel);
        hub.unsubscribe(this, channel);
        if (recovery != null && recovery.forget(channel)) {
            recovery = null;
        }
        return true;
    }

    /** Bytes queued for this session and not yet written to its socket. */
    long pendingOutboundBytes() {
        ChannelOutboundBuffer out = ctx == null ? null : ctx.channel().unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /** Connect completed: the session holds a presence lease until it closes. */
    void markPresent(java.util.Collection<String> chatChannels) {
        if (state == CONNECTED && !present) {
            present = true;
            shared.presence().connected(this, chatChannels);
        }
    }

    // ------------------------------------------------------------ outbound

    /**
     * Writes one shared fan-out frame (a retained duplicate: a partial write moves
     * the reader index of the view, not of the shared buffer) unless the session is
     * over its outbound budget, in which case it is disconnected as a slow consumer.
     */
    public void deliver(ByteBuf sharedFrame) {
        if (state == CLOSING) {
            return;
        }
        List<ByteBuf> recovered = recovery == null ? null : recovery.intercept(sharedFrame);
        if (recovered != null) {
            writeRecovered(recovered);
            if (recovery != null && recovery.overBudget()) {
                disconnect(DisconnectCode.INSUFFICIENT_STATE, "too much traffic during recovery: reconnect and recover again");
            }
            return;
        }
        Channel ch = ctx.channel();
        if (!ch.isWritable()) {
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            if (out == null) {
                return;
            }
            if (out.totalPendingWriteBytes() + sharedFrame.readableBytes() > shared.maxOutboundBytes()) {
                slowConsumer();
                return;
            }
            if (unwritableSinceTick < 0) {
                unwritableSinceTick = hub.tick();
            }
        }
        ctx.write(sharedFrame.retainedDuplicate(), ctx.voidPromise());
        markDirty();
    }

    /** Sends a reply or a push built for this session; from any thread. */
    public void send(ServerFrame frame) {
        if (ctx.executor().inEventLoop()) {
            send(WebSocketFrames.binary(ctx.alloc(), frame));
        } else {
            ctx.executor().execute(() -> send(frame));
        }
    }

    /** Writes a complete WebSocket frame; loop only. Consumes {@code frame}. */
    void send(ByteBuf frame) {
        if (state == CLOSING && !isCloseFrame(frame)) {
            frame.release();
            return;
        }
        ctx.write(frame, ctx.voidPromise());
        markDirty();
    }

    private static boolean isCloseFrame(ByteBuf frame) {
        return (frame.getUnsignedByte(frame.readerIndex()) & 0x0F) == 0x8;
    }

    private void markDirty() {
        if (!dirty) {
            dirty = true;
            hub.markDirty(this);
        }
    }

    /** Called by the loop after its iteration. */
    public void flushNow() {
        dirty = false;
        ctx.flush();
    }

    /** Sends a server ping (shared bytes); loop only. */
    void ping() {
        if (state == CONNECTED && ctx.channel().isWritable()) {
            send(WebSocketFrames.PING.duplicate());
        }
    }

    /** Over the outbound cap, or over the high-water mark for too long (the sweep): closed at once. */
    void slowConsumer() {
        shared.metrics().slowConsumer();
        state = CLOSING;
        // The socket is not draining, so a goodbye frame would queue behind the backlog forever.
        ctx.close();
    }

    /**
     * Tells the client why it is being disconnected (a Disconnect push and a close
     * frame with the same code), then closes. Idempotent; loop only.
     */
    public void disconnect(DisconnectCode code, String reason) {
        disconnect(code, reason, code.reconnect() ? 1000 : 0);
    }

    public void disconnect(DisconnectCode code, String reason, int reconnectAfterMs) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> disconnect(code, reason, reconnectAfterMs));
            return;
        }
        if (state == CLOSING) {
            return;
        }
        String why = reason == null || reason.isEmpty() ? code.reason() : reason;
        send(WebSocketFrames.binary(ctx.alloc(), Replies.disconnect(code, why, reconnectAfterMs)));
        state = CLOSING;
        closingTick = hub.tick();
        send(WebSocketFrames.close(ctx.alloc(), code.code(), why));
        dirty = false;
        WebSocketClose.flushThenHalfClose(ctx);
    }

    /** Holds back live frames of {@code channel} until {@link #endRecovery}; loop only. */
    void beginRecovery(String channel) {
        if (recovery == null) {
            recovery = new Recovery();
        }
        recovery.begin(channel);
    }

    /** Writes the held-back frames of {@code channel} newer than {@code replayedUpTo}; loop only. */
    void endRecovery(String channel, long replayedUpTo) {
        if (recovery != null) {
            writeRecovered(recovery.end(channel, replayedUpTo));
        }
    }

    /** Writes (or, closing, releases) frames the recovery let through, and drops it once it has nothing left. */
    private void writeRecovered(List<ByteBuf> frames) {
        for (ByteBuf frame : frames) {
            if (state == CLOSING) {
                frame.release();
            } else {
                ctx.write(frame, ctx.voidPromise());
            }
        }
        if (recovery.isEmpty()) {
            recovery = null;
        }
        if (!frames.isEmpty()) {
            markDirty();
        }
    }

    // ------------------------------------------------------------ sweep support

    public int loopIndex() {
        return loopIndex;
    }

    public void loopIndex(int i) {
        loopIndex = i;
    }

    void forceClose() {
        state = CLOSING;
        ctx.close();
    }

    @Override
    public String toString() {
        return "Session{" + id + " " + orgId + "/" + userId + "}";
    }
}
