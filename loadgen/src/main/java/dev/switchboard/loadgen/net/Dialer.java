package dev.switchboard.loadgen.net;

import dev.switchboard.loadgen.metrics.ErrorKind;
import dev.switchboard.loadgen.metrics.FailureReasons;
import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.protocol.Protocol;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Opens client connections to one target: TCP from the next source address
 * (round-robin by connection index), the WebSocket upgrade, then the
 * protocol's hello. After the upgrade Netty's handshaker replaces the HTTP
 * codec with the WebSocket frame codec, and the protocol handler answers the
 * server's pings with pongs.
 */
public final class Dialer {
    private static final int MAX_FRAME = 1 << 20;

    private final ClientResources resources;
    private final Protocol protocol;
    private final LoadStats stats;
    private final List<InetAddress> sources;
    private final long handshakeTimeoutMillis;
    /** Resolved once here: connect() runs on event loops, where a name lookup must not happen. */
    private final InetSocketAddress remote;

    public Dialer(ClientResources resources, Protocol protocol, LoadStats stats, List<InetAddress> sources,
                  Duration handshakeTimeout) {
        this.resources = resources;
        this.protocol = protocol;
        this.stats = stats;
        this.sources = List.copyOf(sources);
        this.handshakeTimeoutMillis = handshakeTimeout.toMillis();
        URI any = protocol.uri(0);
        this.remote = new InetSocketAddress(any.getHost(), any.getPort());
    }

    /** Starts connection {@code index}; never blocks, so it may be called on an event loop. */
    public LoadConnection connect(int index, ConnectionEvents events) {
        URI uri = protocol.uri(index);
        LoadConnection conn = new LoadConnection(index, protocol, stats, events);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .customHeaders(EmptyHttpHeaders.INSTANCE)
                .maxFramePayloadLength(MAX_FRAME)
                .handshakeTimeoutMillis(handshakeTimeoutMillis)
                .dropPongFrames(true)
                .handleCloseFrames(false) // LoadConnection answers them, to learn the server's close code
                .absoluteUpgradeUrl(false)
                .generateOriginHeader(false)
                .build();
        Bootstrap b = new Bootstrap()
                .group(resources.group())
                .channel(resources.channelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, handshakeTimeoutMillis))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                new WebSocketClientProtocolHandler(config), conn);
                    }
                });
        stats.connectAttempt();
        ChannelFuture f = sources.isEmpty()
                ? b.connect(remote)
                : b.connect(remote, new InetSocketAddress(sources.get(Math.floorMod(index, sources.size())), 0));
        conn.bind(f.channel());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                stats.error(ErrorKind.CONNECT, FailureReasons.of(done.cause()));
                conn.close();
                events.onClosed(conn, false);
            }
        });
        return conn;
    }
}
