package dev.switchboard.message.http;

import dev.switchboard.wire.ErrorCode;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Netty's aggregator with the API's JSON error for a body over the limit (413
 * PAYLOAD_TOO_LARGE). As in Netty, a keep-alive request keeps its connection (the
 * rest of its body is discarded); otherwise the connection is closed.
 *
 * <p>Media uploads ({@code POST /v1/media}) may be larger than JSON requests. The
 * aggregator's own limit is the larger of the two, and a request to any other
 * path that declares a Content-Length over the JSON limit is refused before its
 * body is read. (A chunked request without Content-Length is held to the larger
 * limit; the JSON endpoints cap what they accept themselves.)
 */
final class JsonHttpObjectAggregator extends HttpObjectAggregator {
    private final int jsonLimit;

    JsonHttpObjectAggregator(int maxContentLength) {
        this(maxContentLength, maxContentLength);
    }

    JsonHttpObjectAggregator(int jsonLimit, int mediaLimit) {
        super(Math.max(jsonLimit, mediaLimit));
        this.jsonLimit = jsonLimit;
    }

    @Override
    protected boolean isContentLengthInvalid(HttpMessage start, int maxContentLength) {
        return HttpUtil.getContentLength(start, -1L) > limitFor(start);
    }

    private int limitFor(HttpMessage start) {
        if (start instanceof HttpRequest req && isMediaUpload(req.uri())) {
            return maxContentLength();
        }
        return jsonLimit;
    }

    static boolean isMediaUpload(String uri) {
        return ChatRoutes.match(ChatHttpHandler.segments(new QueryStringDecoder(uri).path())) == ChatRoutes.MEDIA;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        boolean keep = !(oversized instanceof FullHttpMessage) && HttpUtil.isKeepAlive(oversized);
        var reply = HttpReplies.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, ErrorCode.PAYLOAD_TOO_LARGE,
                "body larger than " + limitFor(oversized) + " bytes");
        var f = ctx.writeAndFlush(HttpReplies.toResponse(reply, keep));
        f.addListener(keep ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        // The aggregator releases the oversized message itself.
    }
}
