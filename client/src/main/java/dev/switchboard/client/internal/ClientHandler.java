package dev.switchboard.client.internal;

import dev.switchboard.client.ConnectionClosedException;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.FrameCodec;
import dev.switchboard.wire.ProtocolException;
import dev.switchboard.wire.proto.ServerFrame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;

/** Decodes server messages of one connection: replies complete their pending futures, pushes go to the listener. */
final class ClientHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final FrameCodec codec = new FrameCodec(10_000);
    private final WireListener listener;
    private final Map<Integer, CompletableFuture<ServerFrame>> pending = new ConcurrentHashMap<>();
    final CompletableFuture<Void> handshake = new CompletableFuture<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile int closeCode = -1;
    private volatile String closeReason = "";

    ClientHandler(WireListener listener) {
        this.listener = listener;
    }

    void expect(int id, CompletableFuture<ServerFrame> reply) {
        pending.put(id, reply);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            handshake.complete(null);
        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            handshake.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof BinaryWebSocketFrame) {
            for (ServerFrame f : codec.decodeServerFrames(frame.content())) {
                onFrame(f);
            }
        } else if (frame instanceof CloseWebSocketFrame close) {
            closeCode = close.statusCode();
            closeReason = close.reasonText();
            ctx.close();
        }
    }

    private void onFrame(ServerFrame f) {
        if (f.getId() != 0) {
            CompletableFuture<ServerFrame> reply = pending.remove(f.getId());
            if (reply == null) {
                return;
            }
            if (f.hasError()) {
                reply.completeExceptionally(new SwitchboardException(ErrorCode.of(f.getError().getCode()),
                        f.getError().getMessage(), f.getError().getTemporary()));
            } else {
                reply.complete(f);
            }
            return;
        }
        switch (f.getBodyCase()) {
            case PUBLICATION -> listener.onPublication(f.getPublication());
            case DISCONNECT -> listener.onDisconnect(f.getDisconnect());
            default -> listener.onPush(f);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handshake.completeExceptionally(new IllegalStateException("connection closed before the handshake completed"));
        CompletionException gone = new CompletionException(new ConnectionClosedException("connection closed (" + closeCode + ")"));
        pending.values().forEach(f -> f.completeExceptionally(gone));
        pending.clear();
        listener.onClosed(closeCode, closeReason);
        closed.complete(closeCode);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ProtocolException) {
            closeReason = "malformed server frame: " + cause.getMessage();
        }
        handshake.completeExceptionally(cause);
        ctx.close();
    }
}
