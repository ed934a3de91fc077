package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A complete answer: status, body bytes, content type and extra headers. The
 * layer adds {@code Content-Length}, {@code Connection},
 * {@code X-Content-Type-Options: nosniff} and, unless a header says otherwise,
 * {@code Cache-Control: no-store}. Immutable apart from {@link #header}, which
 * is meant for building.
 */
public final class Response {
    public static final String JSON = "application/json";

    private final HttpResponseStatus status;
    private final byte[] body;
    private final String contentType;
    private final HttpHeaders headers = new DefaultHttpHeaders();

    private Response(HttpResponseStatus status, byte[] body, String contentType) {
        this.status = Objects.requireNonNull(status, "status");
        this.body = Objects.requireNonNull(body, "body");
        this.contentType = contentType;
    }

    /** A JSON body: a Jackson tree, a map, a record... serialized with a plain {@code ObjectMapper}. */
    public static Response json(HttpResponseStatus status, Object value) {
        if (value instanceof String s) {
            return new Response(status, s.getBytes(StandardCharsets.UTF_8), JSON);
        }
        try {
            return new Response(status, ErrorEnvelope.MAPPER.writeValueAsBytes(value), JSON);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 200 with a JSON body. */
    public static Response ok(Object value) {
        return json(HttpResponseStatus.OK, value);
    }

    public static Response of(HttpResponseStatus status, byte[] body, String contentType) {
        return new Response(status, body, contentType);
    }

    /** A status without a body (204, 302, 304...). */
    public static Response empty(HttpResponseStatus status) {
        return new Response(status, new byte[0], null);
    }

    /** Adds a header (for building; call before handing the response to the exchange). */
    public Response header(CharSequence name, Object value) {
        headers.add(name, value);
        return this;
    }

    public HttpResponseStatus status() {
        return status;
    }

    public byte[] body() {
        return body;
    }

    /** The response for the wire; {@code head} leaves the body out (a HEAD request) but keeps its length. */
    FullHttpResponse toHttp(boolean keepAlive, boolean head) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head || body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        HttpHeaders h = r.headers();
        h.add(headers);
        if (contentType != null) {
            h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        if (status.code() != 304 && status.code() != 204) {
            h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        if (!h.contains(HttpHeaderNames.CACHE_CONTROL)) {
            h.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        }
        h.set("X-Content-Type-Options", "nosniff");
        h.set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return r;
    }
}
