package dev.switchboard.message.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Operations endpoints of the standalone message-service, without auth like the
 * edge's: {@code GET /healthz} and {@code GET /metrics} (Prometheus text, when the
 * registry is a Prometheus one). Everything else is passed on.
 */
@ChannelHandler.Sharable
public final class AdminHandler extends ChannelInboundHandlerAdapter {
    private final MeterRegistry registry;

    public AdminHandler(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req) || !HttpMethod.GET.equals(req.method())) {
            ctx.fireChannelRead(msg);
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        if (path.equals("/healthz")) {
            answer(ctx, req, HttpResponseStatus.OK, "{\"status\":\"ok\"}", "application/json");
        } else if (path.equals("/metrics") && registry instanceof PrometheusMeterRegistry prometheus) {
            answer(ctx, req, HttpResponseStatus.OK, prometheus.scrape(), "text/plain; version=0.0.4");
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private static void answer(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String body, String type) {
        try {
            ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            HttpUtil.setContentLength(res, content.readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            HttpUtil.setKeepAlive(res, keepAlive);
            var written = ctx.writeAndFlush(res);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        } finally {
            ReferenceCountUtil.release(req);
        }
    }
}
