package dev.switchboard.loadgen.net;

import dev.switchboard.loadgen.metrics.ErrorKind;
import dev.switchboard.loadgen.metrics.FailureReasons;
import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.protocol.Protocol;
import dev.switchboard.loadgen.protocol.WallClock;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: its state and the last handler of its pipeline.
 * Handler and state are one object to keep a connection small (thousands per
 * process). The protocol driver parses frames and calls back the
 * {@code on*} methods; everything here runs on the connection's event loop.
 */
public final class LoadConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(LoadConnection.class);

    private final int index;
    private final Protocol protocol;
    private final LoadStats stats;
    private final ConnectionEvents events;
    private final long startNanos;
    private volatile Channel channel;
    private volatile boolean ready;
    private volatile boolean closing;
    private boolean active;
    /** The WebSocket upgrade completed (the protocol's hello may still be pending). */
    private boolean upgraded;
    private boolean subscribedWithHello;
    /** Why the server or the network is ending this connection, when known before it ends; first cause wins. */
    private String endReason;
    private int nextRequestId = 1;
    /** Channels the server subscribed this connection to at connect (chat memberships). */
    private volatile List<String> serverChannels = List.of();

    LoadConnection(int index, Protocol protocol, LoadStats stats, ConnectionEvents events) {
        this.index = index;
        this.protocol = protocol;
        this.stats = stats;
        this.events = events;
        this.startNanos = System.nanoTime();
    }

    /** The global index of this connection (the same in every worker process): its user and its channels. */
    public int index() {
        return index;
    }

    public Channel channel() {
        return channel;
    }

    void bind(Channel ch) {
        this.channel = ch;
    }

    public boolean isReady() {
        return ready;
    }

    /** A fresh request id; call on the event loop only. */
    public int nextRequestId() {
        int id = nextRequestId++;
        if (nextRequestId <= 0) {
            nextRequestId = 1;
        }
        return id;
    }

    /** Writes and flushes a frame; failures surface in {@link #exceptionCaught}. */
    public void send(WebSocketFrame frame) {
        Channel ch = channel;
        ch.writeAndFlush(frame, ch.voidPromise());
    }

    /** Subscribes to {@code name} on the connection's event loop. */
    public void subscribe(String name) {
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            ch.eventLoop().execute(() -> protocol.subscribe(this, name));
        }
    }

    /** Whether the protocol sent the first subscribe with its hello ({@link ConnectionEvents#firstChannel}). */
    public boolean subscribedWithHello() {
        return subscribedWithHello;
    }

    /** Closes the connection; not counted as an error. */
    public void close() {
        closing = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    // ---------------------------------------------------------------- callbacks from the protocol driver

    public List<String> serverChannels() {
        return serverChannels;
    }

    public void onHelloComplete() {
        onHelloComplete(List.of());
    }

    /** The hello completed and the server subscribed the connection to {@code channels}. */
    public void onHelloComplete(List<String> channels) {
        if (!ready) {
            serverChannels = List.copyOf(channels);
            ready = true;
            stats.ready(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos));
            events.onReady(this);
        }
    }

    public void onSubscribed() {
        stats.subscribed();
        events.onSubscribed(this);
    }

    public void onDelivery(long sentMicros) {
        stats.delivered(sentMicros, WallClock.nowMicros());
    }

    /** The server answered a command with an error, or sent something we could not parse: counted now, the connection stays. */
    public void onServerError(String reason) {
        stats.error(ErrorKind.PROTOCOL, reason);
        log.debug("connection {}: server error: {}", index, reason);
    }

    /**
     * The server says it is closing the connection (the protocol's disconnect push, or a WebSocket close
     * frame): remembered as the reason of the close that follows, which is counted once, when it happens.
     */
    public void onServerClosing(String reason) {
        if (endReason == null) {
            endReason = reason;
        }
    }

    // ---------------------------------------------------------------- Netty

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // The dialer binds the channel after connect() returns on its own thread; a fast server can complete
        // the upgrade on the event loop before that, and the first send must find the channel already.
        channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        active = true;
        stats.opened();
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            upgraded = true;
            subscribedWithHello = protocol.onOpen(this, events.firstChannel(this));
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            onServerClosing("no upgrade response within the handshake timeout");
            ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof CloseWebSocketFrame close) {
                // Answered here (not by Netty's protocol handler) to learn the server's close code and reason.
                onServerClosing(FailureReasons.close("close", close.statusCode(), close.reasonText()));
                ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), "")).addListener(ChannelFutureListener.CLOSE);
            } else if (msg instanceof WebSocketFrame frame) {
                protocol.onFrame(this, frame);
            }
        } catch (RuntimeException e) {
            onServerError("unreadable frame: " + FailureReasons.of(e));
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (active) {
            active = false;
            stats.closed();
        }
        if (!closing) {
            // One count per connection that ended against our will, with the first reason we learnt.
            String reason = endReason != null ? endReason
                    : ready ? "closed by the server without a close frame"
                    : upgraded ? "closed after the upgrade, before the connect reply" : "closed during the WebSocket upgrade";
            stats.error(ready ? ErrorKind.CLOSED : ErrorKind.HANDSHAKE, reason);
        }
        boolean wasReady = ready;
        ready = false;
        events.onClosed(this, wasReady);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection {}: {}", index, cause.toString(), cause);
        if (cause instanceof DecoderException && !(cause.getCause() instanceof java.io.IOException)) {
            onServerClosing("malformed WebSocket data: " + FailureReasons.of(cause));
        } else {
            onServerClosing(FailureReasons.of(cause));
        }
        ctx.close();
    }
}
