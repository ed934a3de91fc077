package dev.switchboard.benchmarks;

import dev.switchboard.wire.WebSocketFrames;
import dev.switchboard.wire.proto.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Fan-out of one publication to N local sessions: the WebSocket frame built
 * once and written to every channel as a retained duplicate (docs/design.md,
 * docs/performance.md #8) against serializing the ServerFrame per recipient. The
 * channels are EmbeddedChannels whose pipeline ends in a sink that releases
 * what it is given, so the figure is the cost of encoding and dispatch, not of
 * a socket. Time is per operation = per publication to all N recipients.
 */
@State(Scope.Benchmark)
public class FanoutBenchmark extends BenchmarkBase {
    @Param({"1", "100", "10000"})
    public int recipients;

    @Param({"100"})
    public int payloadSize;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private EmbeddedChannel[] channels;
    private ServerFrame publication;

    /** Stands in for the socket: consumes (releases) every write, as a completed write would. */
    private static final class Sink extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
        }
    }

    @Setup
    public void setUp() {
        publication = Frames.publication(payloadSize);
        channels = new EmbeddedChannel[recipients];
        for (int i = 0; i < recipients; i++) {
            channels[i] = new EmbeddedChannel(new Sink());
        }
    }

    @TearDown
    public void tearDown() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }

    /** The design: one frame, N retained duplicates (each recipient needs its own reader index). */
    @Benchmark
    public void frameOnce(Blackhole bh) {
        ByteBuf frame = WebSocketFrames.binary(alloc, publication);
        try {
            for (EmbeddedChannel ch : channels) {
                ch.write(frame.retainedDuplicate(), ch.voidPromise());
            }
            for (EmbeddedChannel ch : channels) {
                ch.flush();
            }
        } finally {
            frame.release();
        }
        bh.consume(frame);
    }

    /** The naive way: serialize and frame the ServerFrame for every recipient. */
    @Benchmark
    public void perRecipientEncoding(Blackhole bh) {
        for (EmbeddedChannel ch : channels) {
            ch.write(WebSocketFrames.binary(alloc, publication), ch.voidPromise());
        }
        for (EmbeddedChannel ch : channels) {
            ch.flush();
        }
        bh.consume(channels);
    }
}
