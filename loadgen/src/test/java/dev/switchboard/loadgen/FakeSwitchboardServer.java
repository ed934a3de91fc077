package dev.switchboard.loadgen;

import dev.switchboard.wire.FrameCodec;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.ConnectResult;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.SubscribeResult;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal stand-in for the edge server in loadgen's own integration tests:
 * the same wire protocol (connect, subscribe, publish, publications), no auth,
 * no persistence. It exists so that loadgen can be tested end to end without
 * depending on the edge-server module.
 */
final class FakeSwitchboardServer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Map<String, ChannelGroup> channels = new ConcurrentHashMap<>();
    private final FrameCodec codec = new FrameCodec();
    private final Channel server;

    FakeSwitchboardServer(int port) throws InterruptedException {
        Handler handler = new Handler();
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/ws", null, false, 65536, false, true), handler);
                    }
                }).bind("127.0.0.1", port).sync().channel();
    }

    @ChannelHandler.Sharable
    private final class Handler extends SimpleChannelInboundHandler<BinaryWebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame msg) {
            for (ClientFrame f : codec.decodeClientFrames(msg.content())) {
                switch (f.getCommandCase()) {
                    case CONNECT -> reply(ctx.channel(), ServerFrame.newBuilder().setId(f.getId())
                            .setConnect(ConnectResult.newBuilder().setSessionId("s").setNodeId("fake")).build());
                    case SUBSCRIBE -> {
                        channels.computeIfAbsent(f.getSubscribe().getChannel(),
                                k -> new DefaultChannelGroup(GlobalEventExecutor.INSTANCE)).add(ctx.channel());
                        reply(ctx.channel(), ServerFrame.newBuilder().setId(f.getId())
                                .setSubscribe(SubscribeResult.getDefaultInstance()).build());
                    }
                    case PUBLISH -> {
                        ChannelGroup subs = channels.get(f.getPublish().getChannel());
                        if (subs != null) {
                            ServerFrame push = ServerFrame.newBuilder().setPublication(Publication.newBuilder()
                                    .setChannel(f.getPublish().getChannel()).setPayload(f.getPublish().getPayload())).build();
                            for (Channel c : subs) {
                                reply(c, push);
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
        }
    }

    private static void reply(Channel ch, ServerFrame f) {
        ch.writeAndFlush(new BinaryWebSocketFrame(FrameCodec.encode(ch.alloc(), f)));
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
