package dev.switchboard.message.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.internal.ChatJson;
import dev.switchboard.message.media.MediaService;
import dev.switchboard.wire.ErrorCode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON responses, and the one mapping from error codes to HTTP statuses. Errors
 * are {@code {"error": {"code": "NOT_FOUND", "message": "..."}}}.
 */
final class HttpReplies {
    private static final Logger log = LoggerFactory.getLogger(HttpReplies.class);

    private HttpReplies() {
    }

    /** A status and a JSON body (null: no body), or a media download to stream instead of a body. */
    record Reply(HttpResponseStatus status, JsonNode body, MediaService.Download download) {
        Reply(HttpResponseStatus status, JsonNode body) {
            this(status, body, null);
        }
    }

    static Reply stream(MediaService.Download download) {
        return new Reply(HttpResponseStatus.OK, null, download);
    }

    static Reply ok(JsonNode body) {
        return new Reply(HttpResponseStatus.OK, body);
    }

    static Reply created(JsonNode body) {
        return new Reply(HttpResponseStatus.CREATED, body);
    }

    static Reply noContent() {
        return new Reply(HttpResponseStatus.NO_CONTENT, null);
    }

    static Reply error(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof ChatException e) {
            if (e.code() == ErrorCode.INTERNAL) {
                log.error("internal error", e);
                return error(HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL, "internal error");
            }
            if (e.code() == ErrorCode.UNAVAILABLE) {
                log.warn("unavailable: {}", e.getCause() == null ? e.getMessage() : e.getCause().toString());
            }
            return error(status(e.code()), e.code(), e.getMessage());
        }
        log.error("unexpected failure", t);
        return error(HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL, "internal error");
    }

    static Reply error(HttpResponseStatus status, ErrorCode code, String message) {
        ObjectNode body = ChatJson.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code.name());
        error.put("message", message);
        return new Reply(status, body);
    }

    static HttpResponseStatus status(ErrorCode code) {
        return ChatErrors.status(code);
    }

    static FullHttpResponse toResponse(Reply reply, boolean keepAlive) {
        byte[] bytes;
        try {
            bytes = reply.body() == null ? new byte[0] : ChatJson.MAPPER.writeValueAsBytes(reply.body());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(),
                Unpooled.wrappedBuffer(bytes));
        if (reply.body() != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        }
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }
}
