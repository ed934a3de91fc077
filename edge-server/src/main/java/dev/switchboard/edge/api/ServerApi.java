package dev.switchboard.edge.api;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.bridge.Broker;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.session.ChatBackend;
import dev.switchboard.edge.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;

/**
 * The server API port of an edge node: HTTP/JSON (and protobuf for publishes)
 * for backend services that push realtime events without holding WebSockets.
 * It shares the node's event loops; nothing it does blocks them.
 */
public final class ServerApi implements AutoCloseable {
    private final Channel channel;

    private ServerApi(Channel channel) {
        this.channel = channel;
    }

    public static ServerApi start(EventLoopGroup group, Transport transport, EdgeServerOptions options, ApiKeys keys,
                                  Broker broker, Hub hub, ChatBackend chat, EdgeMetrics metrics, DrainControl drain)
            throws InterruptedException {
        ServerApiHandler handler = new ServerApiHandler(options, keys, broker, hub, chat, metrics, drain);
        Channel ch = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(options.maxApiBodyBytes()), handler);
                    }
                })
                .bind(new InetSocketAddress(options.apiHost(), options.apiPort())).sync().channel();
        return new ServerApi(ch);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
