package dev.switchboard.http;

import io.netty.handler.codec.http.HttpRequest;

/**
 * Decides who sent a request from its head alone, before any of its body is
 * read: returns the principal (any object the route's handler understands) or
 * throws an {@link HttpError} (401, or 403 for a credential that is valid but
 * may not use the route). Runs on the event loop: CPU only (an HMAC, a key
 * comparison), never I/O.
 */
@FunctionalInterface
public interface Authenticator {
    /** Anyone: the principal is null. */
    Authenticator NONE = head -> null;

    Object authenticate(HttpRequest head);
}
