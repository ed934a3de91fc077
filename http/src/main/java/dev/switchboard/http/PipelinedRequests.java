package dev.switchboard.http;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Requests that arrived while the one before was still being answered
 * (pipelining), kept decoded and in order. Past {@code maxPipelined} heads the
 * rest is dropped (released) and {@link #overflowed()} says so: the connection
 * closes after the last answer and the client retries what was not answered.
 */
final class PipelinedRequests {
    private final int maxPipelined;
    private ArrayDeque<Object> queued;
    private int heads;
    private boolean overflowed;

    PipelinedRequests(int maxPipelined) {
        this.maxPipelined = maxPipelined;
    }

    /** Takes ownership of {@code msg} (a head or a piece of a body). */
    void add(Object msg) {
        if (msg instanceof HttpRequest && !overflowed) {
            if (heads >= maxPipelined) {
                overflowed = true;
            } else {
                heads++;
            }
        }
        if (overflowed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (queued == null) {
            queued = new ArrayDeque<>(4);
        }
        queued.add(msg);
    }

    boolean isEmpty() {
        return queued == null || queued.isEmpty();
    }

    /** The oldest waiting message, or null; the caller owns it. */
    Object poll() {
        Object msg = queued == null ? null : queued.poll();
        if (msg instanceof HttpRequest) {
            heads--;
        }
        return msg;
    }

    /** Whether requests past the limit were dropped. */
    boolean overflowed() {
        return overflowed;
    }

    /** Releases everything waiting. */
    void release() {
        if (queued != null) {
            Object m;
            while ((m = queued.poll()) != null) {
                ReferenceCountUtil.release(m);
            }
        }
    }
}
