package dev.switchboard.edge.pipeline;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;

/** The last HTTP handler of the public port: a health check, and 404 for anything nobody else served. */
@ChannelHandler.Sharable
final class HttpFallbackHandler extends ChannelInboundHandlerAdapter {
    static final HttpFallbackHandler INSTANCE = new HttpFallbackHandler();

    private HttpFallbackHandler() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            String path = new QueryStringDecoder(req.uri()).path();
            if (path.equals("/healthz")) {
                HttpResponses.json(ctx, req, HttpResponseStatus.OK, "{\"status\":\"ok\"}");
            } else {
                HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND, "not_found", "no such endpoint: " + path);
            }
        } finally {
            ReferenceCountUtil.release(req);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
