package dev.switchboard.message.http;

import dev.switchboard.message.ChatService;
import dev.switchboard.message.media.MediaService;
import dev.switchboard.message.http.HttpReplies.Reply;
import dev.switchboard.wire.ErrorCode;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Serves the message-service's REST API ({@code /v1/users}, {@code /v1/channels/...},
 * {@code /v1/dms}, {@code /v1/me/channels}) from aggregated {@link FullHttpRequest}s
 * and passes every other message along the pipeline untouched, so that it can sit
 * behind an edge server's WebSocket upgrade handler on a shared port.
 *
 * <p>Authentication and JSON parsing run on the event loop (CPU only); the
 * database work runs on {@link ChatService}'s workers, and the response is
 * written from the future's callback with {@code ctx.writeAndFlush}, which Netty
 * hands to the loop. While a request is in flight the connection stops reading,
 * so responses leave in request order and one connection holds at most one call.
 */
@Sharable
public final class ChatHttpHandler extends ChannelInboundHandlerAdapter {
    private final ChatEndpoints endpoints;
    private final MessageEventEndpoints events;
    private final DeviceEndpoints devices;
    private final MediaEndpoints media;
    private final RequestAuthenticator authenticator;

    /** Without media: the media endpoints answer 404. */
    public ChatHttpHandler(ChatService chat, RequestAuthenticator authenticator) {
        this(chat, null, authenticator);
    }

    /** With media uploads and downloads through {@code media} (null: media off). */
    public ChatHttpHandler(ChatService chat, MediaService media, RequestAuthenticator authenticator) {
        this.endpoints = new ChatEndpoints(chat);
        this.events = new MessageEventEndpoints(chat);
        this.devices = new DeviceEndpoints(chat);
        this.media = new MediaEndpoints(media);
        this.authenticator = authenticator;
    }

    /** Whether a request for this path would be served here (for a shared pipeline's routing). */
    public static boolean owns(String uri) {
        return ChatRoutes.match(segments(new QueryStringDecoder(uri).path())) != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        List<String> segments = segments(uri.path());
        ChatRoutes route = ChatRoutes.match(segments);
        if (route == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        CompletableFuture<Reply> reply;
        String allow = null;
        try {
            if (!route.allows(req.method())) {
                allow = route.allowHeader();
                reply = CompletableFuture.completedFuture(HttpReplies.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                        ErrorCode.BAD_REQUEST, req.method() + " is not allowed here"));
            } else {
                Principal principal = authenticator.authenticate(req.headers());
                ApiRequest api = new ApiRequest(principal, segments, uri.parameters(),
                        ByteBufUtil.getBytes(req.content()));
                reply = route == ChatRoutes.MEDIA
                        ? media.upload(api, mimeType(req))
                        : dispatch(route, req.method(), api);
            }
        } catch (RuntimeException e) {
            reply = CompletableFuture.completedFuture(HttpReplies.error(e));
        } finally {
            req.release();
        }
        ctx.channel().config().setAutoRead(false);
        String allowHeader = allow;
        reply.whenComplete((r, e) -> respond(ctx, r != null ? r : HttpReplies.error(e), keepAlive, allowHeader));
    }

    private CompletableFuture<Reply> dispatch(ChatRoutes route, HttpMethod method, ApiRequest r) {
        return switch (route) {
            case USERS -> endpoints.createUser(r);
            case CHANNELS -> endpoints.createGroup(r);
            case DMS -> endpoints.openDm(r);
            case MY_CHANNELS -> endpoints.myChannels(r);
            case CHANNEL -> endpoints.channel(r);
            case MEMBERS -> endpoints.addMember(r);
            case MEMBER -> endpoints.removeMember(r);
            case MEMBERSHIP -> endpoints.updateMembership(r);
            case MESSAGES -> method.equals(HttpMethod.POST) ? endpoints.send(r) : endpoints.history(r);
            case READ -> endpoints.markRead(r);
            case DEVICES -> method.equals(HttpMethod.POST) ? devices.register(r) : devices.list(r);
            case DEVICE -> devices.unregister(r);
            case MEDIA_ITEM -> media.download(r);
            case MESSAGE -> method.equals(HttpMethod.PATCH) ? events.edit(r) : events.delete(r);
            case REACTION -> method.equals(HttpMethod.PUT) ? events.addReaction(r) : events.removeReaction(r);
            case REPLIES -> events.replies(r);
            case EVENTS -> events.log(r);
            case MEDIA -> throw new IllegalStateException("uploads are dispatched with their Content-Type");
        };
    }

    private void respond(ChannelHandlerContext ctx, Reply reply, boolean keepAlive, String allow) {
        if (reply.download() != null) {
            MediaStreamer.stream(ctx, reply.download(), keepAlive, media.service());
            return;
        }
        FullHttpResponse response = HttpReplies.toResponse(reply, keepAlive);
        if (allow != null) {
            response.headers().set(HttpHeaderNames.ALLOW, allow);
        }
        if (keepAlive) {
            ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
                f.channel().config().setAutoRead(true);
                if (!f.isSuccess()) {
                    f.channel().close();
                }
            });
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String mimeType(FullHttpRequest req) {
        CharSequence type = HttpUtil.getMimeType(req);
        return type == null ? null : type.toString();
    }

    static List<String> segments(String path) {
        List<String> out = new ArrayList<>(6);
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
