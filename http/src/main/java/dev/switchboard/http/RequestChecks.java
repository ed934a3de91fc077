package dev.switchboard.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/** What a request head must satisfy before any of its body is read; each check throws the {@link HttpError} to answer. */
final class RequestChecks {
    private RequestChecks() {
    }

    /** Whether the head announces a body (a positive {@code Content-Length} or chunked encoding). */
    static boolean declaresBody(HttpRequest req) {
        return HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
    }

    /** The answer to a head the codec could not decode. */
    static HttpError decoderError(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return HttpError.of(HttpResponseStatus.REQUEST_URI_TOO_LONG, HttpError.URI_TOO_LONG, "request line too long");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpError.of(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, HttpError.HEADERS_TOO_LARGE,
                    "request headers too large");
        }
        return HttpError.badRequest("malformed HTTP request");
    }

    /** The declared body against what the route takes: none, buffered up to {@code maxBody}, or streamed with a length. */
    static void checkBody(HttpRequest req, Body.Kind kind, long maxBody, boolean declaresBody) {
        long length = HttpUtil.getContentLength(req, -1L);
        boolean chunked = HttpUtil.isTransferEncodingChunked(req);
        switch (kind) {
            case NONE -> {
                if (declaresBody) {
                    throw noBodyTaken();
                }
            }
            case BUFFERED -> {
                if (length > maxBody) {
                    throw HttpError.payloadTooLarge(maxBody);
                }
            }
            case STREAMED -> {
                if (length < 0 || chunked) {
                    throw HttpError.of(HttpResponseStatus.LENGTH_REQUIRED, HttpError.LENGTH_REQUIRED,
                            "this endpoint needs a Content-Length");
                }
                if (length > maxBody) {
                    throw HttpError.payloadTooLarge(maxBody);
                }
            }
        }
    }

    /** Whether the head asks for {@code 100 Continue}; any other expectation is refused. */
    static boolean expectsContinue(HttpRequest req) {
        String expect = req.headers().get(HttpHeaderNames.EXPECT);
        if (expect == null) {
            return false;
        }
        if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())) {
            throw HttpError.of(HttpResponseStatus.EXPECTATION_FAILED, HttpError.EXPECTATION_FAILED,
                    "only Expect: 100-continue is understood");
        }
        return true;
    }

    /** A body sent to a route that takes none. */
    static HttpError noBodyTaken() {
        return HttpError.of(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, HttpError.PAYLOAD_TOO_LARGE,
                "this endpoint takes no body");
    }
}
