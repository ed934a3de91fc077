package dev.switchboard.client.internal;

import com.google.protobuf.ByteString;
import dev.switchboard.wire.FrameCodec;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.Connect;
import dev.switchboard.wire.proto.History;
import dev.switchboard.wire.proto.HistoryResult;
import dev.switchboard.wire.proto.PresenceResult;
import dev.switchboard.wire.proto.PresenceQuery;
import dev.switchboard.wire.proto.ReadCheckpoint;
import dev.switchboard.wire.proto.StreamPosition;
import dev.switchboard.wire.proto.SubscribeResult;
import dev.switchboard.wire.proto.Typing;
import dev.switchboard.wire.proto.ConnectResult;
import dev.switchboard.wire.proto.Ping;
import dev.switchboard.wire.proto.Publish;
import dev.switchboard.wire.proto.PublishResult;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.Subscribe;
import dev.switchboard.wire.proto.Unsubscribe;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import dev.switchboard.client.ClientResources;

/**
 * One WebSocket to an edge node, speaking the Switchboard protocol with its
 * protobuf types: commands carry request ids and return futures of their replies
 * (completed on the event loop), so many may be in flight; pushes go to a
 * {@link WireListener} on the event loop. Not the SDK's supported API: the SDK is
 * {@link dev.switchboard.client.SwitchboardClient}; this is its transport and the
 * repository's tool for protocol-level tests (malformed frames, raw commands).
 *
 * <pre>{@code
 * WireConnection c = WireConnection.builder(URI.create("ws://127.0.0.1:8080/ws"), token)
 *         .listener(myListener).connect().join();
 * c.hello().join();
 * c.subscribe("acme/general").join();
 * c.publish("acme/general", bytes).join();
 * }</pre>
 */
public final class WireConnection implements AutoCloseable {
    private final Channel channel;
    private final ClientHandler handler;
    private final AtomicInteger ids = new AtomicInteger();

    private WireConnection(Channel channel, ClientHandler handler) {
        this.channel = channel;
        this.handler = handler;
    }

    public static Builder builder(URI uri, String token) {
        return new Builder(uri, token);
    }

    /** Sends Connect (the first frame of every session) and returns the server's answer. */
    public CompletableFuture<ConnectResult> hello() {
        return request(ClientFrame.newBuilder().setConnect(Connect.newBuilder().setClientName("switchboard-java")))
                .thenApply(ServerFrame::getConnect);
    }

    /** Connect with recovery: for each channel, the last sequence this client saw; the server replays what it missed. */
    public CompletableFuture<ConnectResult> hello(java.util.Map<String, Long> positions) {
        Connect.Builder c = Connect.newBuilder().setClientName("switchboard-java");
        positions.forEach((ch, seq) -> c.addPositions(StreamPosition.newBuilder().setChannel(ch).setSeq(seq)));
        return request(ClientFrame.newBuilder().setConnect(c)).thenApply(ServerFrame::getConnect);
    }

    /** Connect with recovery positions, naming the client. */
    public CompletableFuture<ConnectResult> hello(java.util.Map<String, Long> positions, String clientName, String clientVersion) {
        Connect.Builder c = Connect.newBuilder().setClientName(clientName).setClientVersion(clientVersion);
        positions.forEach((ch, seq) -> c.addPositions(StreamPosition.newBuilder().setChannel(ch).setSeq(seq)));
        return request(ClientFrame.newBuilder().setConnect(c)).thenApply(ServerFrame::getConnect);
    }

    /** Subscribes, live only ({@code recover} false) or replaying stored publications after {@code sinceSeq} first. */
    public CompletableFuture<SubscribeResult> subscribe(String channelName, boolean recover, long sinceSeq) {
        return request(ClientFrame.newBuilder().setSubscribe(Subscribe.newBuilder().setChannel(channelName)
                .setRecover(recover).setSinceSeq(sinceSeq))).thenApply(ServerFrame::getSubscribe);
    }

    /** Replaces the connection's token; completes with its expiry. */
    public CompletableFuture<Long> refresh(String token) {
        return request(ClientFrame.newBuilder().setRefresh(dev.switchboard.wire.proto.Refresh.newBuilder().setToken(token)))
                .thenApply(f -> f.getRefresh().getTokenExpiresAtMs());
    }

    /** Subscribes and replays stored publications after {@code sinceSeq} first (chat channels). */
    public CompletableFuture<SubscribeResult> subscribeRecovering(String channelName, long sinceSeq) {
        return request(ClientFrame.newBuilder().setSubscribe(Subscribe.newBuilder().setChannel(channelName)
                .setRecover(true).setSinceSeq(sinceSeq))).thenApply(ServerFrame::getSubscribe);
    }

    /** Stored publications oldest first after {@code afterSeq} (fills a gap seen in live traffic). */
    public CompletableFuture<HistoryResult> historyAfter(String channelName, long afterSeq, int limit) {
        return request(ClientFrame.newBuilder().setHistory(History.newBuilder().setChannel(channelName)
                .setForward(true).setAfterSeq(afterSeq).setLimit(limit))).thenApply(ServerFrame::getHistory);
    }

    /** Stored publications newest first before {@code beforeSeq} (0: from the newest). */
    public CompletableFuture<HistoryResult> historyBefore(String channelName, long beforeSeq, int limit) {
        return request(ClientFrame.newBuilder().setHistory(History.newBuilder().setChannel(channelName)
                .setBeforeSeq(beforeSeq).setLimit(limit))).thenApply(ServerFrame::getHistory);
    }

    /** Moves the read checkpoint; completes with the checkpoint after the call. */
    public CompletableFuture<Long> markRead(String channelName, long seq) {
        return request(ClientFrame.newBuilder().setRead(ReadCheckpoint.newBuilder().setChannel(channelName).setSeq(seq)))
                .thenApply(f -> f.getRead().getSeq());
    }

    /** Tells the channel's other subscribers that this user is typing (fire and forget). */
    public void typing(String channelName) {
        send(ClientFrame.newBuilder().setTyping(Typing.newBuilder().setChannel(channelName)).build());
    }

    /** A page of the replies in the thread of {@code rootId}, oldest first after {@code afterSeq}. */
    public CompletableFuture<HistoryResult> threadAfter(String channelName, long rootId, long afterSeq, int limit) {
        return request(ClientFrame.newBuilder().setHistory(History.newBuilder().setChannel(channelName)
                .setThreadId(rootId).setForward(true).setAfterSeq(afterSeq).setLimit(limit))).thenApply(ServerFrame::getHistory);
    }

    /** Who is online in a channel. */
    public CompletableFuture<java.util.List<String>> presence(String channelName) {
        return presenceResult(channelName).thenApply(PresenceResult::getOnlineUserIdsList);
    }

    /** The presence reply: who is online and, on chat channels, when each offline member was last seen. */
    public CompletableFuture<PresenceResult> presenceResult(String channelName) {
        return request(ClientFrame.newBuilder().setPresence(PresenceQuery.newBuilder().setChannel(channelName)))
                .thenApply(ServerFrame::getPresence);
    }

    public CompletableFuture<ServerFrame> subscribe(String channelName) {
        return request(ClientFrame.newBuilder().setSubscribe(Subscribe.newBuilder().setChannel(channelName)));
    }

    public CompletableFuture<ServerFrame> unsubscribe(String channelName) {
        return request(ClientFrame.newBuilder().setUnsubscribe(Unsubscribe.newBuilder().setChannel(channelName)));
    }

    public CompletableFuture<PublishResult> publish(String channelName, byte[] payload) {
        return publish(channelName, payload, "");
    }

    public CompletableFuture<PublishResult> publish(String channelName, byte[] payload, String clientMsgId) {
        return request(ClientFrame.newBuilder().setPublish(Publish.newBuilder().setChannel(channelName)
                .setPayload(ByteString.copyFrom(payload)).setClientMsgId(clientMsgId)))
                .thenApply(ServerFrame::getPublish);
    }

    public CompletableFuture<Long> ping(long nonce) {
        return request(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)))
                .thenApply(f -> f.getPong().getNonce());
    }

    /** Sends any command with a fresh request id; completes with the reply, or exceptionally with {@link SwitchboardException}. */
    public CompletableFuture<ServerFrame> request(ClientFrame.Builder frame) {
        int id = nextId();
        CompletableFuture<ServerFrame> reply = new CompletableFuture<>();
        handler.expect(id, reply);
        send(frame.setId(id).build());
        return reply;
    }

    /** Sends frames in one WebSocket message without waiting for anything (ids are the caller's). */
    public void send(ClientFrame... frames) {
        ByteBuf body = FrameCodec.encode(channel.alloc(), frames);
        channel.writeAndFlush(new BinaryWebSocketFrame(body));
    }

    /** Sends raw bytes as one binary message (tests of malformed input). */
    public void sendRaw(ByteBuf body) {
        channel.writeAndFlush(new BinaryWebSocketFrame(body));
    }

    public int nextId() {
        int id = ids.incrementAndGet();
        return id == 0 ? ids.incrementAndGet() : id;
    }

    /** Stops reading from the socket (the server sees a slow consumer) or resumes it. */
    public void reading(boolean on) {
        channel.config().setAutoRead(on);
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Completes with the WebSocket close code (-1 when the connection dropped without one). */
    public CompletableFuture<Integer> closeFuture() {
        return handler.closed;
    }

    public Channel channel() {
        return channel;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    /** Connection settings. */
    public static final class Builder {
        private final URI uri;
        private final String token;
        private ClientResources resources;
        private WireListener listener = new WireListener() { };
        private boolean tokenInQuery;
        private InetSocketAddress localAddress;
        private int receiveBufferSize;
        private int maxFramePayload = 1 << 20;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private io.netty.handler.ssl.SslContext ssl;

        private Builder(URI uri, String token) {
            this.uri = Objects.requireNonNull(uri, "uri");
            this.token = token;
        }

        public Builder resources(ClientResources v) { resources = v; return this; }
        public Builder listener(WireListener v) { listener = v; return this; }
        /** Send the token as {@code ?token=} (what browsers do) instead of an Authorization header. */
        public Builder tokenInQuery(boolean v) { tokenInQuery = v; return this; }
        /** Bind the client socket to this source address (to spread load over loopback addresses). */
        public Builder localAddress(InetSocketAddress v) { localAddress = v; return this; }
        public Builder receiveBufferSize(int v) { receiveBufferSize = v; return this; }
        public Builder maxFramePayload(int v) { maxFramePayload = v; return this; }
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        /** TLS settings for wss:// URLs (by default the JDK's trust store is used). */
        public Builder sslContext(io.netty.handler.ssl.SslContext v) { ssl = v; return this; }

        /** Opens the socket and completes the WebSocket handshake. */
        public CompletableFuture<WireConnection> connect() {
            Objects.requireNonNull(resources, "resources");
            URI target = uri;
            DefaultHttpHeaders headers = new DefaultHttpHeaders();
            if (token != null && tokenInQuery) {
                String sep = uri.getRawQuery() == null ? "?" : "&";
                target = URI.create(uri + sep + "token=" + token);
            } else if (token != null) {
                headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
            }
            WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(target).version(WebSocketVersion.V13).customHeaders(headers)
                    .maxFramePayloadLength(maxFramePayload).handleCloseFrames(false)
                    .handshakeTimeoutMillis(handshakeTimeout.toMillis()).build();
            ClientHandler handler = new ClientHandler(listener);
            boolean tls = "wss".equals(uri.getScheme());
            io.netty.handler.ssl.SslContext sslContext;
            try {
                sslContext = !tls ? null : ssl != null ? ssl : io.netty.handler.ssl.SslContextBuilder.forClient().build();
            } catch (javax.net.ssl.SSLException e) {
                return CompletableFuture.failedFuture(e);
            }
            Bootstrap b = new Bootstrap().group(resources.eventLoops().group()).channel(resources.eventLoops().channelClass())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (sslContext != null) {
                                ch.pipeline().addLast(sslContext.newHandler(ch.alloc(), uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 443));
                            }
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                                    new WebSocketClientProtocolHandler(config), handler);
                        }
                    });
            if (receiveBufferSize > 0) {
                b.option(ChannelOption.SO_RCVBUF, receiveBufferSize);
            }
            int port = uri.getPort() > 0 ? uri.getPort() : ("wss".equals(uri.getScheme()) ? 443 : 80);
            InetSocketAddress remote = new InetSocketAddress(uri.getHost(), port);
            ChannelFuture cf = localAddress == null ? b.connect(remote) : b.connect(remote, localAddress);
            CompletableFuture<WireConnection> result = new CompletableFuture<>();
            cf.addListener(f -> {
                if (!f.isSuccess()) {
                    result.completeExceptionally(f.cause());
                    return;
                }
                handler.handshake.whenComplete((v, err) -> {
                    if (err != null) {
                        cf.channel().close();
                        result.completeExceptionally(err);
                    } else {
                        result.complete(new WireConnection(cf.channel(), handler));
                    }
                });
            });
            return result;
        }
    }
}
