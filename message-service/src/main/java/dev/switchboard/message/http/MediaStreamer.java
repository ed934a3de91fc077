package dev.switchboard.message.http;

import dev.switchboard.message.media.MediaService;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a media download as a response head and 64 KiB content chunks, reading
 * the object store's stream on a media worker (it blocks) and never holding more
 * than the socket's write buffer: when the channel is not writable the worker
 * waits for the last chunk to be flushed. A failure after the head can only be
 * told by closing the connection (the client sees a short body).
 */
final class MediaStreamer {
    private static final Logger log = LoggerFactory.getLogger(MediaStreamer.class);
    static final int CHUNK = 64 * 1024;

    private MediaStreamer() {
    }

    static void stream(ChannelHandlerContext ctx, MediaService.Download d, boolean keepAlive, MediaService media) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, d.media().contentType())
                .set(HttpHeaderNames.CONTENT_LENGTH, d.media().size())
                .set(HttpHeaderNames.CACHE_CONTROL, "private, max-age=86400")
                .set("X-Content-Type-Options", "nosniff");
        if (!keepAlive) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.writeAndFlush(head);
        java.util.concurrent.CompletableFuture<Void> rejected = new java.util.concurrent.CompletableFuture<>();
        rejected.whenComplete((v, e) -> { // shutting down: nothing was sent after the head
            closeQuietly(d);
            ctx.close();
        });
        media.transfer(() -> pump(ctx, d, keepAlive), rejected);
    }

    private static void pump(ChannelHandlerContext ctx, MediaService.Download d, boolean keepAlive) {
        long sent = 0;
        try (InputStream in = d.object().data()) {
            byte[] buf = new byte[CHUNK];
            int n;
            while (sent < d.media().size() && (n = in.readNBytes(buf, 0, buf.length)) > 0) {
                ChannelFuture f = ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(buf, 0, n)));
                sent += n;
                if (!ctx.channel().isWritable()) {
                    f.awaitUninterruptibly(); // a media worker, never the event loop
                }
                if (!ctx.channel().isActive()) {
                    return; // the client went away
                }
            }
        } catch (IOException e) {
            log.warn("download of media {} failed after {} bytes: {}", d.media().id(), sent, e.toString());
        }
        if (sent != d.media().size()) {
            ctx.close();
            return;
        }
        ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (keepAlive) {
            last.addListener((ChannelFutureListener) f -> {
                f.channel().config().setAutoRead(true);
                if (!f.isSuccess()) {
                    f.channel().close();
                }
            });
        } else {
            last.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void closeQuietly(MediaService.Download d) {
        try {
            d.object().close();
        } catch (IOException e) {
            log.debug("closing media stream: {}", e.toString());
        }
    }
}
