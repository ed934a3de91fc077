/*
 * Adapted from Netty's io.netty.handler.codec.http.HttpServerCodec (4.2.18.Final,
 * the same class through 4.2.21.Final),
 * Copyright 2012 The Netty Project, licensed under the Apache License, version 2.0:
 * https://www.apache.org/licenses/LICENSE-2.0
 */
package dev.switchboard.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The HTTP stage's codec: Netty's {@code HttpServerCodec} (request decoder, response
 * encoder that knows which answers have no body, at most {@link #MAX_PIPELINE_DEPTH}
 * requests decoded ahead of their answers, close after the answer to a request with both
 * {@code Transfer-Encoding} and {@code Content-Length}), with one change: its decoder
 * names the usual request headers with {@link HeaderNames}' constants instead of a copy
 * per header (Netty's class is final and makes its decoder itself). Everything else,
 * limits, validation and smuggling rules included, is Netty's decoder's
 * (docs/benchmarks.md, "Handshake garbage"; ADR 0017).
 */
final class ServerCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {
    static final int MAX_PIPELINE_DEPTH = 128;
    private static final byte METHOD_HEAD = 1;
    private static final byte METHOD_CONNECT = 2;
    private static final byte METHOD_OTHER = 3;
    /** Two bits per request: 32 requests in one long before {@link #overflow} is needed. */
    private static final int INLINE_CAPACITY = Long.SIZE / 2;

    private long methods;
    private int methodCount;
    private ArrayDeque<Byte> overflow;
    private boolean mustCloseAfterResponse;

    ServerCodec(HttpDecoderConfig config) {
        init(new RequestDecoder(config), new ResponseEncoder());
    }

    private boolean enqueueMethod(HttpMethod method) {
        int depth = methodCount + (overflow != null ? overflow.size() : 0);
        if (depth >= MAX_PIPELINE_DEPTH) {
            return false;
        }
        byte flag = HttpMethod.HEAD.equals(method) ? METHOD_HEAD
                : HttpMethod.CONNECT.equals(method) ? METHOD_CONNECT : METHOD_OTHER;
        if (overflow != null) {
            overflow.add(flag);
        } else if (methodCount < INLINE_CAPACITY) {
            methods |= (long) flag << (methodCount << 1);
            methodCount++;
        } else {
            overflow = new ArrayDeque<>(4);
            overflow.add(flag);
        }
        return true;
    }

    private byte pollMethod() {
        if (methodCount != 0) {
            byte flag = (byte) (methods & 0x3L);
            methods >>>= 2;
            methodCount--;
            return flag;
        }
        if (overflow != null) {
            Byte flag = overflow.poll();
            if (overflow.isEmpty()) {
                overflow = null;
            }
            return flag != null ? flag : METHOD_OTHER;
        }
        return METHOD_OTHER;
    }

    private final class RequestDecoder extends HttpRequestDecoder {
        private boolean discard;

        RequestDecoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
            AsciiString known = HeaderNames.find(sb, start, length);
            return known != null ? known : super.splitHeaderName(sb, start, length);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (discard) {
                buffer.skipBytes(buffer.readableBytes());
                return;
            }
            int oldSize = out.size();
            super.decode(ctx, buffer, out);
            int size = out.size();
            for (int i = oldSize; i < size; i++) {
                if (out.get(i) instanceof HttpRequest req && !enqueueMethod(req.method())) {
                    // Past the depth: drop everything, close once the first answer is written.
                    mustCloseAfterResponse = true;
                    discard = true;
                    for (int j = i; j < size; j++) {
                        ReferenceCountUtil.release(out.get(j));
                    }
                    out.subList(i, size).clear();
                    throw new IllegalStateException("maxPipelineDepth exceeded: " + MAX_PIPELINE_DEPTH);
                }
            }
        }

        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            super.handleTransferEncodingChunkedWithContentLength(message);
            mustCloseAfterResponse = true;
        }
    }

    private final class ResponseEncoder extends HttpResponseEncoder {
        private byte methodFlag;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (mustCloseAfterResponse && msg instanceof LastHttpContent) {
                mustCloseAfterResponse = false;
                promise = promise.unvoid().addListener(ChannelFutureListener.CLOSE);
            }
            super.write(ctx, msg, promise);
        }

        @Override
        protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
            if (!isAlwaysEmpty && methodFlag == METHOD_CONNECT && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING); // RFC 7230 §3.3.1
                return;
            }
            super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg); // not paired with a request (100 Continue)
            }
            methodFlag = pollMethod();
            return methodFlag == METHOD_HEAD || super.isContentAlwaysEmpty(msg);
        }
    }
}
