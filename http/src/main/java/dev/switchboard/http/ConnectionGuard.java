package dev.switchboard.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first HTTP handler of a connection, below the codec: it counts the
 * connection against the server's limit (over it: 503 and close, before a byte
 * is decoded) and owns the connection's timers. It sees the raw bytes, so it
 * knows when a request begins: an idle keep-alive connection gets
 * {@code idleTimeout}, a request head {@code headerTimeout} from its first byte
 * (a new connection's from its opening), a body its route's timeout from the end
 * of the head. While the handler works on a request there is no timer; while the
 * client does not read what it is sent (the channel stays unwritable) the
 * connection gets {@code idleTimeout}. Removed with the rest of the HTTP stage
 * on a protocol switch, which cancels its timers and frees its count.
 */
final class ConnectionGuard extends ChannelDuplexHandler {
    enum Phase { NEW, IDLE, HEAD, BODY, BUSY }

    private final HttpServerOptions options;
    private final ConnectionCounter counter;
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.NEW;
    private boolean started;
    private boolean counted;
    private boolean responseStarted;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> stall;

    ConnectionGuard(HttpServerOptions options, ConnectionCounter counter) {
        this.options = options;
        this.counter = counter;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (started) {
            return;
        }
        started = true;
        if (!counter.tryAcquire()) {
            ctx.writeAndFlush(RawResponses.tooManyConnections()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        counted = true;
        arm(options.headerTimeout());
    }

    boolean admitted() {
        return counted;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!counted) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        if (phase == Phase.IDLE && msg instanceof ByteBuf b && b.isReadable()) {
            phase = Phase.HEAD;
            arm(options.headerTimeout());
        } else if (phase == Phase.NEW && msg instanceof ByteBuf b && b.isReadable()) {
            phase = Phase.HEAD; // the timer has run since the connection opened
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            cancelStall();
        } else if (stall == null && counted) {
            stall = ctx.executor().schedule(() -> {
                stall = null;
                ctx.close(); // the client has not read what it was sent for idleTimeout
            }, options.idleTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** The connection waits for its next request (a response was sent). */
    void idle() {
        phase = Phase.IDLE;
        responseStarted = false;
        arm(options.idleTimeout());
    }

    /** A head was accepted; its body must arrive within {@code timeout}. */
    void readingBody(Duration timeout) {
        phase = Phase.BODY;
        arm(timeout);
    }

    /** The request is read (or refused); the handler works on it. */
    void busy() {
        phase = Phase.BUSY;
        cancelTimer();
    }

    /** A response began: a timeout may no longer write one. */
    void responseStarted() {
        responseStarted = true;
    }

    private void arm(Duration d) {
        cancelTimer();
        timer = ctx.executor().schedule(this::timedOut, d.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void timedOut() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        if ((phase == Phase.HEAD || phase == Phase.BODY) && !responseStarted) {
            responseStarted = true;
            ctx.writeAndFlush(RawResponses.requestTimeout()).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void cancelStall() {
        if (stall != null) {
            stall.cancel(false);
            stall = null;
        }
    }

    private void stop() {
        cancelTimer();
        cancelStall();
        if (counted) {
            counted = false;
            counter.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }
}
