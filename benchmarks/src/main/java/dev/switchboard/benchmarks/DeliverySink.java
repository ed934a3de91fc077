package dev.switchboard.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stands in for the sockets of one event loop: shared by every session channel
 * of that loop, it releases what is written (as a completed write would) and
 * counts the bytes. The hub batches frames of one iteration into one write, so
 * bytes, not writes, tell when a publication reached everyone.
 *
 * <p>A benchmark thread {@linkplain #arm arms} it with a byte total and waits on a
 * latch. The loop adds bytes then reads the armed total; the waiter arms then
 * reads the bytes (both volatile), so at least one of them sees the other and
 * exactly one wins the compare-and-set that counts the latch down.
 */
@ChannelHandler.Sharable
final class DeliverySink extends ChannelOutboundHandlerAdapter {
    private record Armed(long bytes, CountDownLatch latch) {
    }

    private final AtomicReference<Armed> armed = new AtomicReference<>();
    /** Written by the loop only; volatile so that the waiter's check sees it. */
    private volatile long bytes;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b) {
            bytes = bytes + b.readableBytes();
        }
        ReferenceCountUtil.release(msg);
        promise.trySuccess();
        if (armed.get() != null) {
            fireIfReached();
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        // Nothing is queued: every write completed at once.
    }

    long bytes() {
        return bytes;
    }

    /** Counts {@code latch} down once this sink has seen {@code total} bytes (since it was created). */
    void arm(long total, CountDownLatch latch) {
        armed.set(new Armed(total, latch));
        fireIfReached();
    }

    private void fireIfReached() {
        Armed a = armed.get();
        if (a != null && bytes >= a.bytes() && armed.compareAndSet(a, null)) {
            a.latch().countDown();
        }
    }
}
