package dev.switchboard.edge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class FixedReadAllocatorTest {
    private final EmbeddedChannel ch = new EmbeddedChannel();

    private RecvByteBufAllocator.ExtendedHandle handle(FixedReadAllocator a) {
        RecvByteBufAllocator.ExtendedHandle h = a.newHandle();
        h.reset(ch.config());
        return h;
    }

    /** One read of a full buffer, as a transport's read loop reports it. */
    private static void read(RecvByteBufAllocator.ExtendedHandle h, int attempted, int read) {
        h.attemptedBytesRead(attempted);
        h.lastBytesRead(read);
        h.incMessagesRead(1);
    }

    @Test
    void allocatesBuffersOfTheFixedSize() {
        RecvByteBufAllocator.ExtendedHandle h = handle(new FixedReadAllocator(2048));
        ByteBuf buf = h.allocate(UnpooledByteBufAllocator.DEFAULT);
        try {
            assertEquals(2048, buf.writableBytes());
            assertEquals(2048, h.guess());
        } finally {
            buf.release();
        }
        assertFalse(ch.finish());
    }

    @Test
    void readsAgainOnlyWhileBuffersFillUpToMaxMessagesPerRead() {
        FixedReadAllocator a = new FixedReadAllocator(2048).maxMessagesPerRead(3);
        RecvByteBufAllocator.ExtendedHandle h = handle(a);
        read(h, 2048, 2048);
        assertTrue(h.continueReading(), "a full buffer: more may be waiting");
        read(h, 2048, 100);
        assertFalse(h.continueReading(), "a short read: the socket is drained");
        h.reset(ch.config());
        read(h, 2048, 2048);
        read(h, 2048, 2048);
        read(h, 2048, 2048);
        assertFalse(h.continueReading(), "three reads were the quantum");
        assertFalse(h.continueReading(() -> true), "the quantum holds whatever the transport says");
        h.reset(ch.config());
        read(h, 2048, -1);
        assertFalse(h.continueReading(), "end of stream");
        assertFalse(ch.finish());
    }

    @Test
    void oneReadPerEventByDefaultAndNoneWithoutAutoRead() {
        RecvByteBufAllocator.ExtendedHandle h = handle(new FixedReadAllocator(64));
        read(h, 64, 64);
        assertFalse(h.continueReading(), "maxMessagesPerRead is 1, as for Netty's fixed allocator");
        FixedReadAllocator more = new FixedReadAllocator(64).maxMessagesPerRead(16);
        RecvByteBufAllocator.ExtendedHandle g = handle(more);
        read(g, 64, 64);
        assertTrue(g.continueReading());
        ch.config().setAutoRead(false);
        assertFalse(g.continueReading());
        assertFalse(ch.finish());
    }
}
