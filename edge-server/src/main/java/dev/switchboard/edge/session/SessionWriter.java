package dev.switchboard.edge.session;

import dev.switchboard.edge.hub.LoopHub;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.WebSocketFrames;
import dev.switchboard.wire.proto.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.List;
import java.util.function.Function;

/**
 * The write path of a {@link Session}, as its base class (one object per
 * connection, split by concern like {@link FrameReader}): fan-out, replies and
 * goodbyes, all counted against the node's {@link OutboundBudget}; the
 * {@link Backlog} of a session whose socket is over its high-water mark; the
 * {@link Recovery} that holds back live frames while a replay is read; the
 * closing state. Loop only, except {@link #send(ServerFrame)} and
 * {@link #disconnect}, which hop onto the loop.
 */
abstract sealed class SessionWriter extends FrameReader permits Session {
    static final byte OPEN = 0;
    static final byte CONNECTED = 1;
    static final byte CLOSING = 2;
    /** Written since the loop's last flush: the session is in the loop's list of sockets to flush. */
    private static final byte FLUSH_DUE = 1;
    /** Written since the last sweep. */
    private static final byte WROTE = 2;
    /** Something was still queued for the socket at the last sweep. */
    private static final byte QUEUED = 4;

    private ChannelHandlerContext ctx;
    private Recovery recovery;
    /** Non-null only while the socket is over its write-buffer high-water mark. */
    private Backlog backlog;
    /**
     * The sweep tick at which the session entered its state: opened (the connect timeout runs from it), or began
     * closing (the close grace does); one field for both, read by the Sweeper.
     */
    int stateTick;
    byte state = OPEN;
    /** {@link #FLUSH_DUE}, {@link #WROTE} and {@link #QUEUED}: one byte, where a boolean was. */
    private byte writes;

    abstract LoopHub hub();

    abstract SessionShared shared();

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    final ChannelHandlerContext ctx() {
        return ctx;
    }

    public Channel channel() {
        return ctx.channel();
    }

    public boolean isClosing() {
        return state == CLOSING;
    }

    /** Over the high-water mark the session is backlogged; below the low-water mark it gets what it is owed. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            backlogged();
        } else if (backlog != null) {
            Backlog owed = backlog;
            backlog = null;
            if (state != CLOSING) {
                shared().outbound().resume(this, owed);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    private Backlog backlogged() {
        if (backlog == null && state != CLOSING) {
            backlog = new Backlog(hub().tick());
        }
        return backlog;
    }

    /** The sweep tick since which the session is backlogged, or -1 (the sweep's slow-consumer timeout). */
    int backlogSinceTick() {
        return backlog == null ? -1 : backlog.sinceTick();
    }

    /**
     * {@link #outboundBytes()} for the sweep, which reads it for every session four times a second: a session that
     * wrote nothing since the last sweep, had nothing queued then and holds no backlog or recovery has nothing
     * queued now (only writes add to the socket's queue), and the answer needs no look into its channel (through
     * its context, channel, unsafe and outbound buffer: a cache miss each at tens of thousands of sessions).
     * Loop only.
     */
    long sweepOutboundBytes() {
        if ((writes & (WROTE | QUEUED)) == 0 && recovery == null && backlog == null) {
            return 0;
        }
        long bytes = outboundBytes();
        writes = (byte) ((writes & FLUSH_DUE) | (bytes > 0 ? QUEUED : 0));
        return bytes;
    }

    /** What the node holds for this session: queued for its socket, held back by a recovery, owed by its backlog. */
    long outboundBytes() {
        ChannelOutboundBuffer out = ctx == null ? null : ctx.channel().unsafe().outboundBuffer();
        return (out == null ? 0 : out.totalPendingWriteBytes()) + (recovery == null ? 0 : recovery.bufferedBytes())
                + (backlog == null ? 0 : backlog.bytes());
    }

    // ------------------------------------------------------------ outbound

    /**
     * Writes one shared fan-out batch (a retained duplicate: a partial write moves the reader
     * index of the view, not of the shared buffer); a backlogged session takes what the
     * {@link OutboundBudget} lets through. Does not consume {@code frames}. Loop only.
     */
    public void deliver(ByteBuf frames) {
        if (state == CLOSING) {
            return;
        }
        if (recovery != null) {
            List<ByteBuf> passed = recovery.intercept(frames, shared().outbound().softRoom(outboundBytes()));
            if (passed != null) {
                writeRecovered(passed);
                return;
            }
        }
        offer(frames);
    }

    private void offer(ByteBuf frames) {
        if (backlog == null && ctx.channel().isWritable()) {
            write(view(frames));
        } else {
            shared().outbound().offerBacklogged(this, backlogged(), frames);
        }
    }

    /**
     * A retained view of a shared batch with a reader index of its own. A batch that Netty's leak detector sampled
     * (one in 128 allocations; all under paranoid detection) is a wrapper ({@code unwrap() != null}): its
     * {@code retainedDuplicate()} would track each view as a leak of its own, a stack walk per subscriber and two
     * per delivery on release (4,000 for one frame to 2,000 subscribers), so its views share the batch's tracker
     * instead ({@code duplicate().retain()}: the last release of any of them closes it). An unsampled batch gives
     * pooled views, recycled rather than allocated.
     */
    static ByteBuf view(ByteBuf frames) {
        return frames.unwrap() == null ? frames.retainedDuplicate() : frames.duplicate().retain();
    }

    /** Sends a reply or a push built for this session; from any thread. */
    public void send(ServerFrame frame) {
        if (ctx.executor().inEventLoop()) {
            send(WebSocketFrames.binary(ctx.alloc(), frame));
        } else {
            ctx.executor().execute(() -> send(frame));
        }
    }

    /**
     * Sends a reply that {@code encoder} writes straight into a WebSocket message (ConnectReplyBytes,
     * SubscribeReplyBytes), encoded on the loop; from any thread.
     */
    public void sendEncoded(Function<ByteBufAllocator, ByteBuf> encoder) {
        if (ctx.executor().inEventLoop()) {
            send(encoder.apply(ctx.alloc()));
        } else {
            ctx.executor().execute(() -> send(encoder.apply(ctx.alloc())));
        }
    }

    /** Runs {@code task} on the session's loop. */
    void onLoop(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
        } else {
            ctx.executor().execute(task);
        }
    }

    /**
     * Writes a complete WebSocket frame built for this session (a reply, a pong, a replayed
     * publication); over the hard cap the session is closed as a slow consumer instead. Loop
     * only. Consumes {@code frame}.
     */
    void send(ByteBuf frame) {
        if (state == CLOSING) {
            frame.release();
            return;
        }
        if (!shared().outbound().fitsHardCap(outboundBytes(), frame.readableBytes())) {
            frame.release();
            slowConsumer("outbound queue over " + shared().outbound().hardBytes() + " bytes: read what is sent");
            return;
        }
        write(frame);
    }

    /** Queues {@code frame} for the next flush, past every check. Loop only. Consumes {@code frame}. */
    void write(ByteBuf frame) {
        ctx.write(frame, ctx.voidPromise());
        if ((writes & FLUSH_DUE) == 0) {
            writes |= FLUSH_DUE | WROTE;
            hub().markDirty((Session) this);
        } else {
            writes |= WROTE;
        }
    }

    /** Called by the loop after its iteration. */
    public void flushNow() {
        writes &= ~FLUSH_DUE;
        ctx.flush();
    }

    /** Sends a server ping (shared bytes); loop only. */
    void ping() {
        if (state == CONNECTED && ctx.channel().isWritable()) {
            send(WebSocketFrames.PING.duplicate());
        }
    }

    /** Over the hard cap, or backlogged for the slow-consumer timeout (the sweep). */
    void slowConsumer(String why) {
        if (state != CLOSING) {
            shared().metrics().slowConsumer();
            disconnect(DisconnectCode.SLOW_CONSUMER, why, 1000);
        }
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
        String why = reason == null || reason.isEmpty() ? code.reason() : reason.substring(0, Math.min(reason.length(), 123));
        shared().metrics().latencies().serverDisconnect(code, why);
        state = CLOSING;
        stateTick = hub().tick();
        backlog = null;
        // The goodbye goes past the cap (a few hundred bytes, once). Behind a backlog the client reads it only if
        // it drains within the close grace; the sweep closes the socket after that (docs/protocol.md).
        write(WebSocketFrames.binary(ctx.alloc(), Replies.disconnect(code, why, reconnectAfterMs)));
        write(WebSocketFrames.close(ctx.alloc(), code.code(), why));
        writes &= ~FLUSH_DUE;
        WebSocketClose.flushThenHalfClose(ctx);
    }

    /** The client's close frame: echo it and close (the goodbye of the closing handshake). */
    final void echoClose(int code) {
        if (state != CLOSING) {
            shared().metrics().latencies().clientDisconnect(code);
        }
        state = CLOSING;
        stateTick = hub().tick();
        backlog = null;
        writes |= WROTE;
        ctx.writeAndFlush(WebSocketFrames.close(ctx.alloc(), code, "")).addListener(ChannelFutureListener.CLOSE);
    }

    /** The bytes a history page may take now (what is left under the soft mark, a quarter of the cap at most). */
    long historyRoom() {
        return shared().outbound().historyRoom(outboundBytes());
    }

    /** Holds back live frames of {@code channel} until {@link #endRecovery}; loop only. */
    void beginRecovery(String channel) {
        if (recovery == null) {
            recovery = new Recovery();
        }
        recovery.begin(channel);
    }

    /**
     * Whether a replay of {@code bytes} for {@code channel} may be written: the recovery still
     * holds the channel (it gave up if live traffic outgrew the soft mark) and the replay fits
     * under the soft mark. Loop only.
     */
    boolean replayFits(String channel, long bytes) {
        return recovery != null && recovery.isRecovering(channel) && bytes <= shared().outbound().softRoom(outboundBytes());
    }

    /** Writes the held-back frames of {@code channel} newer than {@code replayedUpTo}; loop only. */
    void endRecovery(String channel, long replayedUpTo) {
        if (recovery != null) {
            writeRecovered(recovery.end(channel, replayedUpTo));
        }
    }

    /** Offers the frames the recovery let through (and releases them), and drops it once it has nothing left. */
    private void writeRecovered(List<ByteBuf> frames) {
        for (ByteBuf frame : frames) {
            try {
                if (state != CLOSING) {
                    offer(frame);
                }
            } finally {
                frame.release();
            }
        }
        if (recovery != null && recovery.isEmpty()) {
            recovery = null;
        }
    }

    void forceClose() {
        state = CLOSING;
        backlog = null;
        ctx.close();
    }

    /** Drops what the write path holds (the channel is gone); returns whether there was anything. */
    final boolean releaseOutboundState() {
        backlog = null;
        if (recovery == null) {
            return false;
        }
        recovery.releaseAll();
        recovery = null;
        return true;
    }

    /** The channel is no longer subscribed: a recovery of it ends. */
    final void forgetRecovery(String channel) {
        if (recovery != null && recovery.forget(channel)) {
            recovery = null;
        }
    }
}
