package dev.switchboard.message.http;

import dev.switchboard.wire.ErrorCode;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/** The end of the standalone server's pipeline: whatever no handler served gets a JSON 404. */
@Sharable
final class NotFoundHandler extends ChannelInboundHandlerAdapter {
    static final NotFoundHandler INSTANCE = new NotFoundHandler();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof FullHttpRequest req) {
                boolean keepAlive = HttpUtil.isKeepAlive(req);
                var response = HttpReplies.toResponse(HttpReplies.error(HttpResponseStatus.NOT_FOUND,
                        ErrorCode.NOT_FOUND, "no such endpoint: " + req.method() + " " + req.uri()), keepAlive);
                var f = ctx.writeAndFlush(response);
                if (!keepAlive) {
                    f.addListener(ChannelFutureListener.CLOSE);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }
}
