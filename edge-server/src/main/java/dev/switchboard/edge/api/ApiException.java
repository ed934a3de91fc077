package dev.switchboard.edge.api;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A server API request that cannot be served, with its HTTP status and error code. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;
    private final String code;

    ApiException(HttpResponseStatus status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    HttpResponseStatus status() {
        return status;
    }

    String code() {
        return code;
    }
}
