package dev.switchboard.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request side of one connection, above the codec: one request at a time.
 * For each head it finds the route, authenticates and checks the declared body
 * against the route's limit, all before reading any of the body; a refusal is
 * answered at once and, when a body was declared, the connection is closed
 * after the answer instead of reading it. An accepted request's body is
 * buffered or streamed as the route says, then the route's handler answers.
 * The channel does not read on its own ({@code autoRead} off): the socket is
 * read only when the current request needs more of its body or the next request
 * may start. Requests that arrive together (pipelining) wait here, already
 * decoded, and are served in order once the one before is answered; past
 * {@code maxPipelined} of them the rest are dropped and the connection closes
 * after the last answer (the client retries what was not answered).
 * The head's checks are {@link RequestChecks}, a buffered body gathers in a
 * {@link BodyBuffer}, waiting requests in {@link PipelinedRequests}, answers are
 * written by the connection's {@link HttpResponder}, and a connection closed with
 * a body still arriving ends through {@link LingeringClose}.
 */
final class HttpServerHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HttpServerHandler.class);

    private final HttpServerPipeline server;
    private final ConnectionGuard guard;
    private final PipelinedRequests queued;
    private final LingeringClose linger = new LingeringClose();
    private ChannelHandlerContext ctx;
    private HttpResponder answers;
    private boolean closing;
    private boolean draining;

    // The current request: being read, handled or answered.
    private HttpExchange current;
    private Body.Kind bodyKind;
    private long maxBody;
    private boolean declaresBody;
    private boolean bodyDone;
    private boolean refused;
    private boolean responded;
    private boolean closeAfterResponse;
    private BodyBuffer buffer;

    HttpServerHandler(HttpServerPipeline server, ConnectionGuard guard) {
        this.server = server;
        this.guard = guard;
        this.queued = new PipelinedRequests(server.options().maxPipelined());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.answers = new HttpResponder(this, server, ctx);
        ctx.channel().config().setAutoRead(false);
        if (ctx.channel().isActive()) {
            ctx.read();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            linger.discard(msg);
        } else if (!queued.isEmpty() || (current != null && bodyDone)) {
            queued.add(msg);
        } else {
            handle(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (linger.isLingering()) {
            linger.readComplete(ctx);
            return;
        }
        demand();
        ctx.fireChannelReadComplete();
    }

    private void handle(Object msg) {
        if (msg instanceof HttpRequest req) {
            if (current != null) { // a new head while a body was expected: the codec never does this
                ReferenceCountUtil.release(msg);
                close();
                return;
            }
            onHead(req);
            if (msg instanceof HttpContent c) { // a FullHttpRequest (a request the decoder could not parse)
                onContent(c);
            }
        } else if (msg instanceof HttpContent c && current != null) {
            onContent(c);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(HttpRequest req) {
        current = new HttpExchange(answers, req);
        bodyDone = false;
        refused = false;
        responded = false;
        closeAfterResponse = false;
        buffer = null;
        declaresBody = RequestChecks.declaresBody(req);
        Router.Route route;
        try {
            if (req.decoderResult().isFailure()) {
                throw RequestChecks.decoderError(req.decoderResult().cause());
            }
            Router.Match m = server.router().match(req.method(), current.path());
            route = m.route();
            current.route(route, m.params());
            current.principal(route.auth.authenticate(req));
            bodyKind = route.body.kind();
            maxBody = route.body.maxBytes(server.options());
            RequestChecks.checkBody(req, bodyKind, maxBody, declaresBody);
            if (RequestChecks.expectsContinue(req) && declaresBody) {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
            }
        } catch (Router.MethodNotAllowed e) {
            refuse(e.error().toResponse().header(HttpHeaderNames.ALLOW, e.allow), declaresBody);
            return;
        } catch (RuntimeException e) {
            refuse(server.errorResponse(current, e), declaresBody);
            return;
        }
        if (declaresBody) {
            guard.readingBody(route.body.timeout(server.options()));
        }
        // else the codec hands over the request's end with its head, in the same read: no body timer to arm and
        // cancel at once (one scheduled task less per WebSocket upgrade; docs/benchmarks.md, "Handshake garbage").
        if (bodyKind == Body.Kind.STREAMED) {
            current.stream(new RequestBody(HttpUtil.getContentLength(req, 0L), this::demandFromReader));
            invoke();
        }
    }

    /** Answers the current request before its body: the body is never read; if one was declared, the connection closes. */
    private void refuse(Response response, boolean bodyUnread) {
        refused = true;
        if (bodyUnread || current.request().decoderResult().isFailure()) {
            closeAfterResponse = true;
        }
        guard.busy();
        current.respond(response);
    }

    private void onContent(HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        try {
            if (!refused) {
                accept(c);
            }
        } finally {
            c.release();
        }
        if (last && current != null) {
            bodyDone = true;
            guard.busy();
            if (!refused) {
                if (bodyKind == Body.Kind.STREAMED) {
                    current.streamBody().end();
                } else if (!current.isAnswered()) {
                    current.body(buffer == null ? BodyBuffer.EMPTY : buffer.toArray());
                    buffer = null;
                    invoke();
                }
            }
            maybeNext();
        }
    }

    /** Takes a piece of an accepted request's body. */
    private void accept(HttpContent c) {
        int n = c.content().readableBytes();
        if (n == 0) {
            return;
        }
        switch (bodyKind) {
            case STREAMED -> current.streamBody().offer(c.content().retain());
            case BUFFERED -> {
                if (buffer == null) {
                    buffer = new BodyBuffer(maxBody);
                }
                if (!buffer.add(c.content())) { // a chunked body past the limit
                    refuse(HttpError.payloadTooLarge(maxBody).toResponse(), true);
                }
            }
            case NONE -> refuse(RequestChecks.noBodyTaken().toResponse(), true);
        }
    }

    private void invoke() {
        HttpExchange ex = current;
        try {
            ex.route().handler.handle(ex);
        } catch (Throwable t) {
            ex.fail(t);
        }
    }

    // ---- what the answer side asks and tells, on the event loop

    /** Whether {@code ex} is still the request being served (not replaced, the connection not closing). */
    boolean isCurrent(HttpExchange ex) {
        return ex == current && !closing;
    }

    /** The answer to the current request {@code ex} starts now: whether the connection stays open after it. */
    boolean answering(HttpExchange ex) {
        if (!bodyDone && declaresBody) {
            bodyNotRead();
        }
        boolean keepAlive = HttpUtil.isKeepAlive(ex.request()) && !closeAfterResponse && !server.isClosing();
        guard.responseStarted();
        return keepAlive;
    }

    /** Answered before the whole body was read: the rest is not read, so the connection ends with the answer. */
    private void bodyNotRead() {
        closeAfterResponse = true;
        refused = true;
        RequestBody body = current.streamBody();
        if (body != null) {
            body.fail("answered before the body was read");
            body.drain();
        }
    }

    /** The answer to {@code ex} was written (or failed): the next request, or the connection ends. */
    void answered(HttpExchange ex, boolean written, boolean keepAlive) {
        if (ex != current || closing) {
            return;
        }
        if (written && !keepAlive && declaresBody && !bodyDone) {
            lingerThenClose();
            return;
        }
        if (!written || !keepAlive) {
            close();
            return;
        }
        responded = true;
        maybeNext();
    }

    /** Moves on to the next request once the current one is answered and its body read. */
    private void maybeNext() {
        if (current == null || !responded || !bodyDone) {
            return;
        }
        current = null;
        guard.idle();
        if (draining) {
            return; // the loop below goes on
        }
        draining = true;
        try {
            while (!queued.isEmpty() && !closing && (current == null || !bodyDone)) {
                handle(queued.poll());
            }
        } finally {
            draining = false;
        }
        if (queued.overflowed() && current == null && queued.isEmpty()) {
            close(); // requests past maxPipelined were dropped: the client retries them elsewhere
            return;
        }
        demand();
    }

    /** Reads from the socket if the current request needs more of its body or the next may start. */
    private void demand() {
        if (closing || !ctx.channel().isActive() || !queued.isEmpty()) {
            return;
        }
        boolean want;
        if (current == null) {
            want = true;
        } else if (bodyDone) {
            want = false; // answering: the next request waits in the socket
        } else if (refused) {
            want = !declaresBody; // only the end marker of a bodiless request is still to come
        } else if (bodyKind == Body.Kind.STREAMED) {
            want = current.streamBody().wantsMore();
        } else {
            want = true;
        }
        if (want) {
            ctx.read();
        }
    }

    private void demandFromReader() {
        ctx.executor().execute(this::demand);
    }

    void switchProtocols(ByteBuf response, String name, ChannelHandler next) {
        if (!ctx.executor().inEventLoop()) {
            response.release();
            throw new IllegalStateException("switch protocols on the connection's event loop");
        }
        ChannelPipeline p = ctx.pipeline();
        p.addLast(name, next);
        // The 101 is already bytes: written from the codec's place, it goes below the codec (whose encoder
        // would refuse a buffer outside a message) and costs no response object, header map or encoding per
        // upgrade (docs/benchmarks.md, "Handshake garbage"). Then the HTTP stage goes (this handler before the
        // codec, so that bytes the codec still holds reach the new protocol).
        p.context(HttpServerPipeline.CODEC).writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        closing = true;
        releaseQueued();
        current = null;
        p.remove(guard);
        p.remove(this);
        p.remove(HttpServerPipeline.CODEC);
        ctx.channel().config().setAutoRead(true);
    }

    private void close() {
        closing = true;
        releaseQueued();
        ctx.close();
    }

    /** Answered a request whose body was not read: see {@link LingeringClose}. */
    private void lingerThenClose() {
        closing = true;
        releaseQueued();
        linger.start(ctx);
    }

    private void releaseQueued() {
        queued.release();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        answers.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releaseQueued();
        if (current != null && current.streamBody() != null && !current.streamBody().isEnded()) {
            current.streamBody().fail("connection closed");
            current.streamBody().drain();
        }
        answers.closed();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseQueued();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        close();
    }
}
