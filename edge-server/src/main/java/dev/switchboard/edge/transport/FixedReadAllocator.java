package dev.switchboard.edge.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Fixed-size socket reads, as Netty's {@code FixedRecvByteBufAllocator} (same sizes, same
 * {@code maxMessagesPerRead}, stops when a read did not fill its buffer), with a smaller handle:
 * every connection keeps its handle from its first read on, and Netty's is 56 B plus a 16 B
 * supplier object, where this one is 32 B and is its own supplier (ADR 0015, what a connection
 * holds). One instance is shared by all connections; only {@link #maxMessagesPerRead} changes.
 */
public final class FixedReadAllocator implements MaxMessagesRecvByteBufAllocator {
    private final int bufferSize;
    private volatile int maxMessagesPerRead = 1;

    public FixedReadAllocator(int bufferSize) {
        if (bufferSize <= 0) {
            throw new IllegalArgumentException("bufferSize must be positive: " + bufferSize);
        }
        this.bufferSize = bufferSize;
    }

    @Override
    public int maxMessagesPerRead() {
        return maxMessagesPerRead;
    }

    @Override
    public FixedReadAllocator maxMessagesPerRead(int maxMessagesPerRead) {
        if (maxMessagesPerRead <= 0) {
            throw new IllegalArgumentException("maxMessagesPerRead must be positive: " + maxMessagesPerRead);
        }
        this.maxMessagesPerRead = maxMessagesPerRead;
        return this;
    }

    @Override
    public RecvByteBufAllocator.ExtendedHandle newHandle() {
        return new ReadHandle(this);
    }

    /** The state of one connection's read loop; used on its event loop only. */
    private static final class ReadHandle implements RecvByteBufAllocator.ExtendedHandle, UncheckedBooleanSupplier {
        private final FixedReadAllocator allocator;
        private ChannelConfig config;
        private int messages;
        private int attemptedBytesRead;
        private int lastBytesRead;

        ReadHandle(FixedReadAllocator allocator) {
            this.allocator = allocator;
        }

        @Override
        public void reset(ChannelConfig config) {
            this.config = config;
            messages = 0;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return alloc.ioBuffer(allocator.bufferSize);
        }

        @Override
        public int guess() {
            return allocator.bufferSize;
        }

        @Override
        public void incMessagesRead(int n) {
            messages += n;
        }

        @Override
        public void lastBytesRead(int bytes) {
            lastBytesRead = bytes;
        }

        @Override
        public int lastBytesRead() {
            return lastBytesRead;
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            attemptedBytesRead = bytes;
        }

        @Override
        public int attemptedBytesRead() {
            return attemptedBytesRead;
        }

        @Override
        public boolean continueReading() {
            return continueReading(this);
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreData) {
            return config.isAutoRead() && maybeMoreData.get() && messages < allocator.maxMessagesPerRead;
        }

        /** Whether the last read filled its buffer, so that more may be waiting. */
        @Override
        public boolean get() {
            return lastBytesRead > 0 && attemptedBytesRead == lastBytesRead;
        }

        @Override
        public void readComplete() {
        }
    }
}
