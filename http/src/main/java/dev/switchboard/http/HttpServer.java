package dev.switchboard.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import java.net.InetSocketAddress;

/**
 * A listening port that serves one {@link HttpServerPipeline} on the given event
 * loops (the message-service, the edge's server API, the balancer). The loops
 * are the caller's: {@link #close()} only stops accepting.
 */
public final class HttpServer implements AutoCloseable {
    private final Channel channel;
    private final HttpServerPipeline http;

    private HttpServer(Channel channel, HttpServerPipeline http) {
        this.channel = channel;
        this.http = http;
    }

    /** Binds {@code host:port} (0: any free port) and serves {@code http} there. */
    public static HttpServer start(EventLoopGroup group, Class<? extends ServerChannel> channelClass,
                                   String host, int port, HttpServerPipeline http) throws InterruptedException {
        Channel ch = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(http.initializer())
                .bind(new InetSocketAddress(host, port)).sync().channel();
        return new HttpServer(ch, http);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    public int port() {
        return localAddress().getPort();
    }

    public HttpServerPipeline pipeline() {
        return http;
    }

    /** Stops accepting; connections still open answer with {@code Connection: close} from now on. */
    @Override
    public void close() {
        http.closeConnectionsAfterAnswer();
        channel.close().syncUninterruptibly();
    }
}
