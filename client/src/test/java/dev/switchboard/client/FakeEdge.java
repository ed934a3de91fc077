package dev.switchboard.client;

import com.google.protobuf.ByteString;
import dev.switchboard.wire.FrameCodec;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.ConnectResult;
import dev.switchboard.wire.proto.Disconnect;
import dev.switchboard.wire.proto.HistoryResult;
import dev.switchboard.wire.proto.Pong;
import dev.switchboard.wire.proto.PresenceResult;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.PublishResult;
import dev.switchboard.wire.proto.ReadResult;
import dev.switchboard.wire.proto.RecoveryResult;
import dev.switchboard.wire.proto.RefreshResult;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.StreamPosition;
import dev.switchboard.wire.proto.SubscribeResult;
import dev.switchboard.wire.proto.UnsubscribeResult;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small edge for the client scenarios (the Java twin of the TypeScript SDK's
 * test/support/fake-server.ts): a real WebSocket server speaking the protocol, with
 * a model of chat channels (sequenced logs, client_msg_id dedupe, history, recovery
 * from connect positions) and knobs for the faults a client must survive: lost
 * publications, dropped connections, may_have_missed, disconnect advice, swallowed replies.
 */
final class FakeEdge implements AutoCloseable {
    final String userId = "alice";
    final Map<String, List<Publication>> logs = new ConcurrentHashMap<>();
    final Set<String> memberOf = ConcurrentHashMap.newKeySet();
    final Set<Long> dropLive = ConcurrentHashMap.newKeySet();
    final List<Session> sessions = new CopyOnWriteArrayList<>();
    final List<int[]> publishErrors = new CopyOnWriteArrayList<>();
    volatile int maxReplay = 1000;
    volatile boolean swallowPublishReplies;
    /** The next connects are refused with 4005 (reconnect after 50 ms), as a node that cannot load memberships does. */
    final java.util.concurrent.atomic.AtomicInteger refuseConnects = new java.util.concurrent.atomic.AtomicInteger();
    volatile long tokenExpiresAtMs;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    /** One connection: what it sent, what it is subscribed to. */
    final class Session {
        final Channel ch;
        final List<ClientFrame> frames = new CopyOnWriteArrayList<>();
        final Set<String> subscribed = ConcurrentHashMap.newKeySet();
        volatile boolean connected;

        Session(Channel ch) {
            this.ch = ch;
        }

        List<ClientFrame> commands(ClientFrame.CommandCase kind) {
            return frames.stream().filter(f -> f.getCommandCase() == kind).toList();
        }

        void deliver(ServerFrame... frames) {
            ch.writeAndFlush(new BinaryWebSocketFrame(FrameCodec.encode(ch.alloc(), frames)));
        }

        /** The server closes, with a Disconnect push first when {@code reconnect} is not null. */
        void drop(int code, Boolean reconnect, int afterMs) {
            if (reconnect != null) {
                deliver(ServerFrame.newBuilder().setDisconnect(Disconnect.newBuilder().setCode(code).setReconnect(reconnect)
                        .setReconnectAfterMs(afterMs).setReason("test")).build());
            }
            ch.writeAndFlush(new CloseWebSocketFrame(code, "test")).addListener(f -> ch.close());
        }

        /** The socket dies without a close frame. */
        void kill() {
            ch.close();
        }
    }

    FakeEdge() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Session s = new Session(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/ws", null, false, 1 << 20, false, true),
                                new SimpleChannelInboundHandler<BinaryWebSocketFrame>() {
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                                            sessions.add(s);
                                        }
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame msg) {
                                        for (ClientFrame f : new FrameCodec().decodeClientFrames(msg.content())) {
                                            s.frames.add(f);
                                            handle(s, f);
                                        }
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        sessions.remove(s);
                                        s.connected = false;
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    URI url() {
        return URI.create("ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + "/ws");
    }

    Session current() {
        return sessions.isEmpty() ? null : sessions.get(sessions.size() - 1);
    }

    List<Publication> log(String channel) {
        return logs.computeIfAbsent(channel, c -> Collections.synchronizedList(new ArrayList<>()));
    }

    /** Commits a message (as another user) and fans it out unless its sequence is in {@link #dropLive}. */
    synchronized Publication commit(String channel, String text, String sender, String clientMsgId) {
        List<Publication> l = log(channel);
        long seq = l.size() + 1;
        Publication p = Publication.newBuilder().setChannel(channel).setSeq(seq).setSenderId(sender).setTimestampMs(1_700_000_000_000L + seq)
                .setPayload(ByteString.copyFromUtf8("{\"seq\":" + seq + ",\"text\":\"" + text + "\"}")).setMessageId(1000 + seq)
                .setClientMsgId(clientMsgId).build();
        l.add(p);
        if (!dropLive.contains(seq)) {
            fanOut(p);
        }
        return p;
    }

    Publication commit(String channel, String text) {
        return commit(channel, text, "bob", "");
    }

    void fanOut(Publication p) {
        for (Session s : sessions) {
            if (s.connected && s.subscribed.contains(p.getChannel())) {
                s.deliver(ServerFrame.newBuilder().setPublication(p).build());
            }
        }
    }

    private void handle(Session s, ClientFrame f) {
        ServerFrame.Builder reply = ServerFrame.newBuilder().setId(f.getId());
        switch (f.getCommandCase()) {
            case CONNECT -> {
                if (refuseConnects.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    s.drop(4005, true, 50);
                    return;
                }
                ConnectResult.Builder r = ConnectResult.newBuilder().setSessionId("s-" + sessions.size()).setNodeId("fake-1")
                        .setUserId(userId).setOrgId("acme").setTokenExpiresAtMs(tokenExpiresAtMs).addChannels("acme/#" + userId);
                List<Publication> replay = new ArrayList<>();
                for (StreamPosition p : f.getConnect().getPositionsList()) {
                    List<Publication> missed = log(p.getChannel()).stream().filter(x -> x.getSeq() > p.getSeq()).toList();
                    boolean ok = missed.size() <= maxReplay;
                    r.addRecovered(RecoveryResult.newBuilder().setChannel(p.getChannel()).setRecovered(ok).setLastSeq(log(p.getChannel()).size()));
                    if (ok) {
                        replay.addAll(missed);
                    }
                }
                for (String ch : memberOf) {
                    s.subscribed.add(ch);
                    r.addChannels(ch).addChannelPositions(StreamPosition.newBuilder().setChannel(ch).setSeq(log(ch).size()));
                }
                s.subscribed.add("acme/#" + userId);
                s.connected = true;
                s.deliver(reply.setConnect(r).build());
                replay.forEach(p -> s.deliver(ServerFrame.newBuilder().setPublication(p).build()));
            }
            case SUBSCRIBE -> {
                String ch = f.getSubscribe().getChannel();
                if (!s.subscribed.add(ch)) {
                    s.deliver(reply.setError(dev.switchboard.wire.proto.Error.newBuilder().setCode(105)).build());
                    return;
                }
                s.deliver(reply.setSubscribe(SubscribeResult.newBuilder().setRecovered(f.getSubscribe().getRecover())
                        .setLastSeq(log(ch).size())).build());
                if (f.getSubscribe().getRecover()) {
                    log(ch).stream().filter(p -> p.getSeq() > f.getSubscribe().getSinceSeq())
                            .forEach(p -> s.deliver(ServerFrame.newBuilder().setPublication(p).build()));
                }
            }
            case UNSUBSCRIBE -> {
                s.subscribed.remove(f.getUnsubscribe().getChannel());
                s.deliver(reply.setUnsubscribe(UnsubscribeResult.getDefaultInstance()).build());
            }
            case PUBLISH -> {
                var pub = f.getPublish();
                if (!publishErrors.isEmpty()) {
                    int[] e = publishErrors.remove(0);
                    s.deliver(reply.setError(dev.switchboard.wire.proto.Error.newBuilder().setCode(e[0]).setTemporary(e[1] == 1)).build());
                    return;
                }
                if (!pub.getChannel().contains("/chat/")) {
                    if (!swallowPublishReplies) {
                        s.deliver(reply.setPublish(PublishResult.newBuilder().setTimestampMs(1)).build());
                    }
                    fanOut(Publication.newBuilder().setChannel(pub.getChannel()).setSenderId(userId).setPayload(pub.getPayload())
                            .setClientMsgId(pub.getClientMsgId()).build());
                    return;
                }
                Publication stored = log(pub.getChannel()).stream()
                        .filter(p -> p.getClientMsgId().equals(pub.getClientMsgId()) && p.getSenderId().equals(userId)).findFirst()
                        .orElseGet(() -> commit(pub.getChannel(), pub.getPayload().toString(StandardCharsets.UTF_8).replace("\"", "'"),
                                userId, pub.getClientMsgId()));
                if (!swallowPublishReplies) {
                    s.deliver(reply.setPublish(PublishResult.newBuilder().setSeq(stored.getSeq()).setMessageId(stored.getMessageId())
                            .setTimestampMs(stored.getTimestampMs())).build());
                }
            }
            case HISTORY -> {
                var h = f.getHistory();
                List<Publication> l = new ArrayList<>(log(h.getChannel()));
                int n = Math.min(h.getLimit() == 0 ? 50 : h.getLimit(), 200);
                List<Publication> page;
                if (h.getForward()) {
                    page = l.stream().filter(p -> p.getSeq() > h.getAfterSeq()).limit(n).toList();
                } else {
                    List<Publication> older = new ArrayList<>(l.stream().filter(p -> h.getBeforeSeq() == 0 || p.getSeq() < h.getBeforeSeq()).toList());
                    Collections.reverse(older);
                    page = older.stream().limit(n).toList();
                }
                long lastOfPage = page.isEmpty() ? 0 : page.get(page.size() - 1).getSeq();
                boolean more = !page.isEmpty() && (h.getForward() ? lastOfPage < l.size() : lastOfPage > 1);
                s.deliver(reply.setHistory(HistoryResult.newBuilder().addAllPublications(page).setNextCursor(more ? lastOfPage : 0)).build());
            }
            case PING -> s.deliver(reply.setPong(Pong.newBuilder().setNonce(f.getPing().getNonce())).build());
            case PRESENCE -> s.deliver(reply.setPresence(PresenceResult.newBuilder().addOnlineUserIds("alice").addOnlineUserIds("bob")).build());
            case READ -> s.deliver(reply.setRead(ReadResult.newBuilder().setSeq(f.getRead().getSeq())).build());
            case REFRESH -> {
                tokenExpiresAtMs = System.currentTimeMillis() + 3_600_000;
                s.deliver(reply.setRefresh(RefreshResult.newBuilder().setTokenExpiresAtMs(tokenExpiresAtMs)).build());
            }
            case TYPING -> {
                if (f.getId() != 0) {
                    s.deliver(reply.setTyping(dev.switchboard.wire.proto.TypingResult.getDefaultInstance()).build());
                }
            }
            default -> { }
        }
    }


    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
