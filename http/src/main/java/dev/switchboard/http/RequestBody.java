package dev.switchboard.http;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A streamed request body as an {@link InputStream}, read by one thread that may
 * block (never an event loop). The event loop offers the body's chunks as they
 * arrive; it reads the socket again only while fewer than {@link #HIGH_WATER}
 * bytes wait here, and a reader that drains below {@link #LOW_WATER} asks for
 * more. So an upload holds at most about {@code HIGH_WATER} bytes in memory
 * whatever its size. Nothing here takes a lock: the loop never waits on the
 * reader.
 *
 * <p>The stream ends when the whole declared length has arrived; it fails with
 * an {@link IOException} when the connection closes or times out first.
 * {@link #close()} releases what is queued; chunks offered after it are
 * released at once.
 */
public final class RequestBody extends InputStream {
    static final int HIGH_WATER = 64 * 1024;
    static final int LOW_WATER = 16 * 1024;

    private final ConcurrentLinkedQueue<ByteBuf> chunks = new ConcurrentLinkedQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final Runnable demand;
    private final long length;
    private volatile boolean ended;
    private volatile String failure;
    private volatile boolean closed;
    private volatile Thread waiter;
    private ByteBuf current;

    /** {@code demand} asks the event loop to read on (it is called from the reader's thread). */
    RequestBody(long length, Runnable demand) {
        this.length = length;
        this.demand = demand;
    }

    /** The declared length ({@code Content-Length}). */
    public long length() {
        return length;
    }

    // ---- event loop side

    /** Takes ownership of {@code chunk}. */
    void offer(ByteBuf chunk) {
        if (!chunk.isReadable()) {
            chunk.release();
            return;
        }
        queued.addAndGet(chunk.readableBytes());
        chunks.add(chunk);
        if (closed) {
            drain();
        }
        wake();
    }

    void end() {
        ended = true;
        wake();
    }

    void fail(String why) {
        if (!ended) {
            failure = why;
        }
        wake();
    }

    /** Whether the loop should read more from the socket for this body. */
    boolean wantsMore() {
        return !closed && queued.get() < HIGH_WATER;
    }

    boolean isEnded() {
        return ended;
    }

    private void wake() {
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    // ---- reader side

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        for (;;) {
            if (closed) {
                throw new IOException("request body closed");
            }
            if (current != null) {
                int n = Math.min(len, current.readableBytes());
                current.readBytes(b, off, n);
                if (!current.isReadable()) {
                    current.release();
                    current = null;
                }
                consumed(n);
                return n;
            }
            current = chunks.poll();
            if (current != null) {
                continue;
            }
            String why = failure;
            if (why != null) {
                throw new IOException(why);
            }
            if (ended) {
                current = chunks.poll(); // the last chunk may have been queued just before the end
                if (current == null) {
                    return -1;
                }
                continue;
            }
            waiter = Thread.currentThread();
            if (chunks.isEmpty() && !ended && failure == null && !closed) {
                LockSupport.park(this);
            }
            waiter = null;
        }
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, queued.get());
    }

    private void consumed(int n) {
        long before = queued.getAndAdd(-n);
        if (before >= LOW_WATER && before - n < LOW_WATER && !ended) {
            demand.run();
        }
    }

    @Override
    public void close() {
        closed = true;
        if (current != null) {
            current.release();
            current = null;
        }
        drain();
    }

    /** Releases what is queued (both sides may call it; each chunk is polled once). */
    void drain() {
        ByteBuf b;
        while ((b = chunks.poll()) != null) {
            queued.addAndGet(-b.readableBytes());
            b.release();
        }
    }
}
