package dev.switchboard.http;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The body of a buffered route, gathered into one array as it arrives, never
 * past the route's limit. The array grows by doubling from 1 KiB, capped at
 * the limit.
 */
final class BodyBuffer {
    static final byte[] EMPTY = new byte[0];

    private final long maxBytes;
    private byte[] buffer;
    private int size;

    BodyBuffer(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Copies the readable bytes of {@code content} (which stays the caller's);
     * false, copying nothing, when they would take the body past the limit.
     */
    boolean add(ByteBuf content) {
        int n = content.readableBytes();
        if ((long) size + n > maxBytes) {
            return false;
        }
        if (buffer == null || buffer.length - size < n) {
            int grown = (int) Math.min(maxBytes, Math.max(Math.max(1024, (long) size + n),
                    buffer == null ? 0 : (long) buffer.length * 2));
            buffer = buffer == null ? new byte[grown] : Arrays.copyOf(buffer, grown);
        }
        content.readBytes(buffer, size, n);
        size += n;
        return true;
    }

    /** The body so far, exactly as long as what arrived. */
    byte[] toArray() {
        return buffer == null ? EMPTY : Arrays.copyOf(buffer, size);
    }
}
