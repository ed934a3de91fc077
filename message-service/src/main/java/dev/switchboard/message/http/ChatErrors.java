package dev.switchboard.message.http;

import dev.switchboard.http.HttpError;
import dev.switchboard.message.ChatException;
import dev.switchboard.wire.ErrorCode;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping from the chat service's refusals ({@link ChatException}, whose
 * {@link ErrorCode} is the WebSocket protocol's) to HTTP answers in the shared
 * envelope. An {@code INTERNAL} one, or anything that is not a
 * {@code ChatException}, is not mapped: the HTTP layer logs it and answers 500
 * with a fixed message, so no exception text reaches a client.
 */
final class ChatErrors {
    private static final Logger log = LoggerFactory.getLogger(ChatErrors.class);

    private ChatErrors() {
    }

    /** The answer for {@code t}, or null for a 500. */
    static HttpError map(Throwable t) {
        if (!(t instanceof ChatException e) || e.code() == ErrorCode.INTERNAL) {
            return null;
        }
        if (e.code() == ErrorCode.COMMIT_OUTCOME_UNKNOWN) {
            log.warn("commit outcome unknown: {}", e.getCause() == null ? e.getMessage() : e.getCause().toString());
            return HttpError.of(HttpResponseStatus.SERVICE_UNAVAILABLE, e.code().name(), e.getMessage()).retryAfter(1);
        }
        if (e.code() == ErrorCode.UNAVAILABLE) {
            log.warn("unavailable: {}", e.getCause() == null ? e.getMessage() : e.getCause().toString());
            return HttpError.of(HttpResponseStatus.SERVICE_UNAVAILABLE, e.code().name(), e.getMessage()).retryAfter(1);
        }
        return HttpError.of(status(e.code()), e.code().name(), e.getMessage());
    }

    static HttpResponseStatus status(ErrorCode code) {
        return switch (code) {
            case BAD_REQUEST, INVALID_ARGUMENT, LIMIT_EXCEEDED, UNKNOWN_COMMAND -> HttpResponseStatus.BAD_REQUEST;
            case UNAUTHORIZED, TOKEN_EXPIRED -> HttpResponseStatus.UNAUTHORIZED;
            case PERMISSION_DENIED -> HttpResponseStatus.FORBIDDEN;
            case NOT_FOUND, UNKNOWN_CHANNEL -> HttpResponseStatus.NOT_FOUND;
            case CONFLICT -> HttpResponseStatus.CONFLICT;
            case PAYLOAD_TOO_LARGE -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            case TOO_MANY_REQUESTS -> HttpResponseStatus.TOO_MANY_REQUESTS;
            case UNAVAILABLE, COMMIT_OUTCOME_UNKNOWN -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            default -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
        };
    }
}
