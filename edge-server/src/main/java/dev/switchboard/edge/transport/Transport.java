package dev.switchboard.edge.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringBufferRingConfig;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringFixedBufferRingAllocator;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * The native transport an edge node runs on: io_uring where the kernel allows it
 * (about twice the per-delivery throughput of epoll here), then epoll, then NIO.
 */
public enum Transport {
    IO_URING, EPOLL, NIO;

    /** One socket read's buffer: what clients send is small (commands, chat messages). */
    public static final int RECEIVE_BUFFER_BYTES = 2048;
    private static final short RECEIVE_BUFFER_GROUP = 1;
    /** Receive buffers per event loop's ring (filled 1/8 at a time as they are used): 1 MiB at most per loop. */
    private static final short RECEIVE_RING_BUFFERS = 512;
    /**
     * Completion queue entries per event loop: twice the submission ring (the kernel's own ratio). Netty makes
     * a Java view of every entry when the kernel has mixed-size completions (6.18+): 32,768 entries cost 4.7 MB
     * of live heap for two loops at start, 8,192 a quarter of that (docs/benchmarks.md, "What an edge loads at start");
     * the kernel keeps completions that overflow the queue (IORING_FEAT_NODROP), none is lost.
     */
    static final int COMPLETION_QUEUE = 8192;
    /** Submission ring of the side port's loop (the completion queue is twice that). */
    static final int SIDE_PORT_RING = 256;

    /** Picks by name ({@code auto} tries io_uring, epoll, nio in that order). */
    public static Transport select(String name) {
        return switch (name) {
            case "io_uring" -> require(IO_URING);
            case "epoll" -> require(EPOLL);
            case "nio" -> NIO;
            default -> IO_URING.isAvailable() ? IO_URING : EPOLL.isAvailable() ? EPOLL : NIO;
        };
    }

    private static Transport require(Transport t) {
        if (!t.isAvailable()) {
            throw new IllegalStateException(t + " is not available here: " + t.unavailabilityCause());
        }
        return t;
    }

    public boolean isAvailable() {
        return switch (this) {
            case IO_URING -> IoUring.isAvailable();
            case EPOLL -> Epoll.isAvailable();
            case NIO -> true;
        };
    }

    Throwable unavailabilityCause() {
        return switch (this) {
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            case NIO -> null;
        };
    }

    public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlerFactory());
    }

    /**
     * The one event loop of a node's HTTP side port (the server API: JSON calls and Prometheus scrapes), apart
     * from the WebSocket loops so that a scrape's milliseconds of work never hold up a delivery. Few sockets and
     * small bodies: a small io_uring ring, and no ring of receive buffers.
     */
    public EventLoopGroup newSidePortGroup(ThreadFactory threadFactory) {
        IoHandlerFactory factory = this == IO_URING
                ? IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setRingSize(SIDE_PORT_RING))
                : ioHandlerFactory();
        return new MultiThreadIoEventLoopGroup(1, threadFactory, factory);
    }

    private IoHandlerFactory ioHandlerFactory() {
        return switch (this) {
            // A bigger ring keeps the completion queue from overflowing under fan-out (docs/performance.md #11).
            case IO_URING -> IoUringIoHandler.newFactory(ioUringConfig());
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    /**
     * A bigger ring keeps the completion queue from overflowing under fan-out (docs/performance.md #11). Reads
     * take their buffer from a ring of buffers per event loop (provided buffers) when the kernel has them, so an
     * idle socket holds no receive buffer: without the ring, every socket keeps a pending read with its own
     * buffer (2 KiB each: 20 MB for 10k idle connections; docs/benchmarks.md, "Connection cost").
     */
    private static IoUringIoHandlerConfig ioUringConfig() {
        IoUringIoHandlerConfig config = new IoUringIoHandlerConfig().setRingSize(4096).setCqSize(COMPLETION_QUEUE);
        if (IoUring.isRegisterBufferRingSupported()) {
            config.setBufferRingConfig(IoUringBufferRingConfig.builder()
                    .bufferGroupId(RECEIVE_BUFFER_GROUP)
                    .bufferRingSize(RECEIVE_RING_BUFFERS)
                    .batchSize(RECEIVE_RING_BUFFERS / 8)
                    .allocator(new IoUringFixedBufferRingAllocator(RECEIVE_BUFFER_BYTES))
                    .build());
        }
        return config;
    }

    /** Options every accepted connection gets from this transport (the receive buffer ring, for io_uring). */
    public void configureChildren(ServerBootstrap bootstrap) {
        if (this == IO_URING && IoUring.isRegisterBufferRingSupported()) {
            bootstrap.childOption(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID, RECEIVE_BUFFER_GROUP);
        }
    }

    public Class<? extends ServerChannel> serverChannelClass() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }
}
