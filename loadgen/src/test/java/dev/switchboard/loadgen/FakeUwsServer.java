package dev.switchboard.loadgen;

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
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the uWebSockets.js comparison server (benchmarks/uws/server.js) in loadgen's
 * own tests: the same mini protocol (any path upgrades; {"t":"sub","ch":C} answered by
 * {"t":"ok","ch":C}; {"t":"pub","ch":C,...} forwarded as is to C's subscribers).
 */
final class FakeUwsServer implements AutoCloseable {
    private static final Pattern FRAME = Pattern.compile("\\{\"t\":\"(sub|pub)\",\"ch\":\"([^\"]+)\"");

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Map<String, ChannelGroup> channels = new ConcurrentHashMap<>();
    private final Channel server;

    FakeUwsServer(int port) throws InterruptedException {
        Handler handler = new Handler();
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/", null, false, 65536, false, true), handler);
                    }
                }).bind("127.0.0.1", port).sync().channel();
    }

    @ChannelHandler.Sharable
    private final class Handler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame msg) {
            String text = msg.text();
            Matcher m = FRAME.matcher(text);
            if (!m.lookingAt()) {
                return;
            }
            String ch = m.group(2);
            if (m.group(1).equals("sub")) {
                channels.computeIfAbsent(ch, k -> new DefaultChannelGroup(GlobalEventExecutor.INSTANCE)).add(ctx.channel());
                ctx.channel().writeAndFlush(new TextWebSocketFrame("{\"t\":\"ok\",\"ch\":\"" + ch + "\"}"));
            } else {
                ChannelGroup subs = channels.get(ch);
                if (subs != null) {
                    subs.writeAndFlush(new TextWebSocketFrame(text));
                }
            }
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
