package dev.switchboard.benchmarks;

import dev.switchboard.wire.FrameCodec;
import dev.switchboard.wire.WebSocketFrames;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The codec of the main frames: a client's {@code publish} (what the edge
 * decodes for every message sent) and a {@code publication} push (what it
 * encodes once per message and node), at a short and a long chat message size.
 */
@State(Scope.Benchmark)
public class CodecBenchmark extends BenchmarkBase {
    @Param({"100", "1000"})
    public int payloadSize;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final FrameCodec codec = new FrameCodec();
    private ServerFrame publication;
    private ClientFrame publish;
    private ByteBuf encodedPublish;
    private ByteBuf encodedPublication;

    @Setup
    public void setUp() {
        publication = Frames.publication(payloadSize);
        publish = Frames.publish(payloadSize);
        encodedPublish = FrameCodec.encode(alloc, publish);
        encodedPublication = FrameCodec.encode(alloc, publication);
    }

    @TearDown
    public void tearDown() {
        encodedPublish.release();
        encodedPublication.release();
    }

    /** Client publish → protobuf: the edge's inbound path for every message. */
    @Benchmark
    public List<ClientFrame> decodePublish() {
        return codec.decodeClientFrames(encodedPublish);
    }

    /** Publication → length-delimited body (no WebSocket header). */
    @Benchmark
    public int encodePublication() {
        ByteBuf b = FrameCodec.encode(alloc, publication);
        int n = b.readableBytes();
        b.release();
        return n;
    }

    /** Publication → complete WebSocket frame, as the hub builds it once per message. */
    @Benchmark
    public int encodePublicationFrame() {
        ByteBuf b = WebSocketFrames.binary(alloc, publication);
        int n = b.readableBytes();
        b.release();
        return n;
    }

    /** A client's view: a pushed publication → protobuf. */
    @Benchmark
    public List<ServerFrame> decodePublication() {
        return codec.decodeServerFrames(encodedPublication);
    }

    /** Client publish → body, as a client library sends it. */
    @Benchmark
    public int encodePublish() {
        ByteBuf b = FrameCodec.encode(alloc, publish);
        int n = b.readableBytes();
        b.release();
        return n;
    }
}
