package dev.switchboard.message.http;

import dev.switchboard.wire.ErrorCode;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Netty's aggregator with the API's JSON error for a body over the limit (413
 * PAYLOAD_TOO_LARGE). As in Netty, a keep-alive request keeps its connection (the
 * rest of its body is discarded); otherwise the connection is closed.
 */
final class JsonHttpObjectAggregator extends HttpObjectAggregator {
    JsonHttpObjectAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        boolean keep = !(oversized instanceof FullHttpMessage) && HttpUtil.isKeepAlive(oversized);
        var reply = HttpReplies.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, ErrorCode.PAYLOAD_TOO_LARGE,
                "body larger than " + maxContentLength() + " bytes");
        var f = ctx.writeAndFlush(HttpReplies.toResponse(reply, keep));
        f.addListener(keep ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        // The aggregator releases the oversized message itself.
    }
}
