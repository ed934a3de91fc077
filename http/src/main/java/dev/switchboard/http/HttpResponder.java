package dev.switchboard.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The answer side of one connection: what an {@link HttpExchange} (from any
 * thread) and its {@link ResponseStream} write, on the connection's event loop.
 * It writes a whole answer, or a streamed one's head, body and end; the request
 * side ({@link HttpServerHandler}) says whether the exchange is still the current
 * one and whether the connection stays open after it, and is told when the
 * answer is written, to move on to the next request or close.
 */
final class HttpResponder {
    private final HttpServerHandler requests;
    private final HttpServerPipeline server;
    private final ChannelHandlerContext ctx;
    private ResponseStream stream;
    private boolean streamKeepAlive;

    HttpResponder(HttpServerHandler requests, HttpServerPipeline server, ChannelHandlerContext ctx) {
        this.requests = requests;
        this.server = server;
        this.ctx = ctx;
    }

    /** The connection (for its address and event loop). */
    Channel channel() {
        return ctx.channel();
    }

    void respond(HttpExchange ex, Response r) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> respond(ex, r));
            return;
        }
        if (!requests.isCurrent(ex)) {
            return;
        }
        boolean keepAlive = requests.answering(ex);
        FullHttpResponse res = r.toHttp(keepAlive, HttpMethod.HEAD.equals(ex.method()));
        ctx.writeAndFlush(res).addListener((ChannelFutureListener) f -> requests.answered(ex, f.isSuccess(), keepAlive));
    }

    /** Answers with an error: an {@link HttpError} (or what the server's mapper makes of it), else 500. */
    void fail(HttpExchange ex, Throwable failure) {
        respond(ex, server.errorResponse(ex, failure));
    }

    ResponseStream startStream(HttpExchange ex, HttpResponse head) {
        ResponseStream s = new ResponseStream(this, ex, ctx.channel());
        Runnable start = () -> {
            if (!requests.isCurrent(ex)) {
                return;
            }
            streamKeepAlive = requests.answering(ex);
            head.headers().set(HttpHeaderNames.CONNECTION, streamKeepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
            stream = s;
            ctx.writeAndFlush(head);
        };
        if (ctx.executor().inEventLoop()) {
            start.run();
        } else {
            ctx.executor().execute(start);
        }
        return s;
    }

    /** The streamed body ended (on the event loop): the last chunk completes the answer. */
    void finishStream(HttpExchange ex) {
        if (!requests.isCurrent(ex)) {
            return;
        }
        stream = null;
        boolean keepAlive = streamKeepAlive;
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                .addListener((ChannelFutureListener) f -> requests.answered(ex, f.isSuccess(), keepAlive));
    }

    void switchProtocols(ByteBuf response, String name, ChannelHandler next) {
        requests.switchProtocols(response, name, next);
    }

    /** The client read enough: a streamed body waiting for it may go on. */
    void writabilityChanged() {
        if (stream != null) {
            stream.writabilityChanged();
        }
    }

    /** The connection closed: a streamed body still being written is aborted. */
    void closed() {
        if (stream != null) {
            ResponseStream s = stream;
            stream = null;
            s.closed();
        }
    }
}
