package dev.switchboard.loadgen.protocol;

import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.loadgen.metrics.FailureReasons;
import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.net.LoadConnection;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.FrameCodec;
import dev.switchboard.wire.ProtocolException;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.Connect;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.Subscribe;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Switchboard's own protocol: length-delimited protobuf frames in binary
 * WebSocket messages, an HS256 token per user in the URL, {@code connect}
 * first, then {@code subscribe} and {@code publish} on {@code <org>/<name>}
 * channels. Publications carry the binary payload of {@link Payloads}.
 */
public final class SwitchboardProtocol implements Protocol {
    private static final String CLIENT_NAME = "switchboard-loadgen";

    private final URI base;
    private final TokenIssuer tokens;
    private final String org;
    private final Duration tokenTtl;
    private final FrameCodec codec = new FrameCodec();
    /** The connect frame is the same for every connection: serialized once. */
    private final byte[] connectFrame;

    /**
     * @param base the WebSocket URL without a token, e.g. {@code ws://127.0.0.1:8080/ws}
     * @param jwtSecret the edge server's HS256 secret, to mint one token per user
     * @param org the organisation of every test user and channel
     * @param tokenTtl how long minted tokens live: longer than the run
     */
    public SwitchboardProtocol(URI base, String jwtSecret, String org, Duration tokenTtl) {
        this.base = base;
        this.tokens = new TokenIssuer(jwtSecret);
        this.org = org;
        this.tokenTtl = tokenTtl;
        ClientFrame hello = ClientFrame.newBuilder().setId(1)
                .setConnect(Connect.newBuilder().setClientName(CLIENT_NAME)).build();
        this.connectFrame = delimited(hello);
    }

    @Override
    public String label() {
        return "switchboard";
    }

    /** The user id of connection {@code index}. */
    public static String user(int index) {
        return "u" + index;
    }

    @Override
    public URI uri(int index) {
        String token = tokens.issue(user(index), org, tokenTtl);
        String sep = base.getRawQuery() == null ? "?" : "&";
        return URI.create(base + sep + "token=" + token);
    }

    @Override
    public String channel(int channelIndex) {
        return org + "/ch-" + channelIndex;
    }

    public String org() {
        return org;
    }

    @Override
    public void onOpen(LoadConnection c) {
        c.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(connectFrame)));
    }

    /**
     * Connect and the first Subscribe in one WebSocket message (docs/protocol.md, "Pipelined commands"): the edge
     * takes commands after Connect without waiting for its reply, so a connection is subscribed after the
     * upgrade and one more round trip, as a client without a hello is.
     */
    @Override
    public boolean onOpen(LoadConnection c, String channel) {
        if (channel == null) {
            onOpen(c);
            return false;
        }
        // The connect frame's bytes as made once, then this connection's subscribe: one message.
        c.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(connectFrame),
                FrameCodec.encode(c.channel().alloc(), subscribeFrame(c, channel)))));
        return true;
    }

    @Override
    public void subscribe(LoadConnection c, String channel) {
        c.send(new BinaryWebSocketFrame(FrameCodec.encode(c.channel().alloc(), subscribeFrame(c, channel))));
    }

    private static ClientFrame subscribeFrame(LoadConnection c, String channel) {
        return ClientFrame.newBuilder().setId(c.nextRequestId())
                .setSubscribe(Subscribe.newBuilder().setChannel(channel)).build();
    }

    @Override
    public void onFrame(LoadConnection c, WebSocketFrame frame) {
        if (!(frame instanceof BinaryWebSocketFrame)) {
            c.onServerError("unexpected " + frame.getClass().getSimpleName() + " (the protocol is binary)");
            return;
        }
        List<ServerFrame> frames;
        try {
            frames = codec.decodeServerFrames(frame.content());
        } catch (ProtocolException e) {
            c.onServerError("undecodable frame: " + e.getMessage());
            return;
        }
        for (ServerFrame f : frames) {
            switch (f.getBodyCase()) {
                case PUBLICATION -> c.onDelivery(Payloads.timestamp(f.getPublication().getPayload()));
                case CONNECT -> c.onHelloComplete(f.getConnect().getChannelsList());
                case SUBSCRIBE -> c.onSubscribed();
                case ERROR -> c.onServerError(error(f.getError().getCode()));
                // Not an error of its own: the close that follows is counted once, with this as its reason.
                case DISCONNECT -> c.onServerClosing(FailureReasons.close("disconnect", f.getDisconnect().getCode(),
                        f.getDisconnect().getReason()));
                default -> {
                    // Replies we do not track (publish acks) and pushes a load client ignores.
                }
            }
        }
    }

    /** "error 111 TOO_MANY_REQUESTS": the code and its name, without the message (which may name the channel). */
    static String error(int code) {
        ErrorCode known = ErrorCode.of(code);
        return "error " + code + (known.code() == code ? " " + known.name() : "");
    }

    @Override
    public boolean publishesOverWebSocket() {
        return true;
    }

    @Override
    public Publisher publisher(List<LoadConnection> connections, int payloadSize, LoadStats stats) {
        return new SwitchboardPublisher(connections, this::channel, payloadSize, stats);
    }

    static byte[] delimited(ClientFrame f) {
        ByteBuf buf = FrameCodec.encode(UnpooledByteBufAllocator.DEFAULT, f);
        try {
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }

    @Override
    public String toString() {
        return "switchboard " + base + " org=" + org;
    }
}
