package dev.switchboard.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An HTTP answer that is an error: a status, a code and a message for people.
 * Every surface answers errors with the same envelope,
 * {@code {"error":{"code":"NOT_FOUND","message":"..."}}}; the code is an
 * UPPER_SNAKE_CASE word from a closed, documented set (docs/security.md lists
 * them by surface). Where a code names the same condition as the WebSocket
 * protocol's {@code ErrorCode}, it is spelled the same.
 *
 * <p>Thrown by route handlers and authenticators, or passed to
 * {@link HttpExchange#fail}. Any other exception becomes 500 {@code INTERNAL}
 * with a fixed message: no exception text ever reaches a client.
 */
public final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");

    public static final String BAD_REQUEST = "BAD_REQUEST";
    public static final String UNAUTHORIZED = "UNAUTHORIZED";
    public static final String TOKEN_EXPIRED = "TOKEN_EXPIRED";
    public static final String PERMISSION_DENIED = "PERMISSION_DENIED";
    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    public static final String REQUEST_TIMEOUT = "REQUEST_TIMEOUT";
    public static final String CONFLICT = "CONFLICT";
    public static final String LENGTH_REQUIRED = "LENGTH_REQUIRED";
    public static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
    public static final String URI_TOO_LONG = "URI_TOO_LONG";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
    public static final String EXPECTATION_FAILED = "EXPECTATION_FAILED";
    public static final String TOO_MANY_REQUESTS = "TOO_MANY_REQUESTS";
    public static final String HEADERS_TOO_LARGE = "HEADERS_TOO_LARGE";
    public static final String INTERNAL = "INTERNAL";
    public static final String UNAVAILABLE = "UNAVAILABLE";

    private final transient HttpResponseStatus status;
    private final String code;
    private final int retryAfterSeconds;

    private HttpError(HttpResponseStatus status, String code, String message, int retryAfterSeconds) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.status = Objects.requireNonNull(status, "status");
        if (status.code() < 400 || status.code() > 599) {
            throw new IllegalArgumentException("an error needs a 4xx or 5xx status, got " + status);
        }
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("error codes are UPPER_SNAKE_CASE words, got " + code);
        }
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** An error with any 4xx/5xx status and code; a 5xx's message must not carry exception text. */
    public static HttpError of(HttpResponseStatus status, String code, String message) {
        return new HttpError(status, code, message, 0);
    }

    public static HttpError badRequest(String message) {
        return of(HttpResponseStatus.BAD_REQUEST, BAD_REQUEST, message);
    }

    public static HttpError unauthorized(String message) {
        return of(HttpResponseStatus.UNAUTHORIZED, UNAUTHORIZED, message);
    }

    public static HttpError forbidden(String message) {
        return of(HttpResponseStatus.FORBIDDEN, PERMISSION_DENIED, message);
    }

    public static HttpError notFound(String message) {
        return of(HttpResponseStatus.NOT_FOUND, NOT_FOUND, message);
    }

    public static HttpError payloadTooLarge(long limit) {
        return of(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, PAYLOAD_TOO_LARGE, "body larger than " + limit + " bytes");
    }

    /** 503 with {@code Retry-After}. */
    public static HttpError unavailable(String message, int retryAfterSeconds) {
        return new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, UNAVAILABLE, message, retryAfterSeconds);
    }

    /** 500 with the one fixed message: what went wrong is in the server's log only. */
    public static HttpError internal() {
        return of(HttpResponseStatus.INTERNAL_SERVER_ERROR, INTERNAL, "internal error");
    }

    /** The same error with a {@code Retry-After} header (seconds). */
    public HttpError retryAfter(int seconds) {
        return new HttpError(status, code, getMessage(), seconds);
    }

    public HttpResponseStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds for {@code Retry-After}, or 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The envelope as a response. */
    public Response toResponse() {
        Response r = Response.json(status, ErrorEnvelope.json(code, getMessage()));
        return retryAfterSeconds > 0 ? r.header("Retry-After", retryAfterSeconds) : r;
    }

    @Override
    public String toString() {
        return status.code() + " " + code + ": " + getMessage();
    }
}
