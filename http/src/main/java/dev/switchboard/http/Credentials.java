package dev.switchboard.http;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.Claims;
import dev.switchboard.auth.TokenException;
import dev.switchboard.auth.TokenVerifier;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * How a request carries its credential, and the authenticators every surface
 * uses: a server API key in {@code X-Api-Key}, a user's token in
 * {@code Authorization: Bearer}. Both are checked from the head alone.
 */
public final class Credentials {
    public static final String API_KEY = "X-Api-Key";
    private static final String BEARER = "Bearer ";

    private Credentials() {
    }

    /** The {@code X-Api-Key} header, or null. */
    public static String apiKey(HttpRequest head) {
        return head.headers().get(API_KEY);
    }

    /** The token of {@code Authorization: Bearer <token>}, or null. */
    public static String bearer(HttpRequest head) {
        String auth = head.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth == null || auth.length() <= BEARER.length() || !auth.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return auth.substring(BEARER.length()).strip();
    }

    /**
     * Accepts a request with one of {@code keys} (null: none is accepted); the principal
     * is the key's {@link ApiKeys.Key}, whose scope the route still applies
     * ({@link dev.switchboard.auth.ServerPrincipal}). The fleet's internal credential is
     * no server API key: it is refused like an unknown one (the message-service, the one
     * surface that takes it, authenticates with its own rule).
     */
    public static Authenticator apiKey(ApiKeys keys) {
        return head -> {
            ApiKeys.Key key = keys == null ? null : keys.find(apiKey(head));
            if (key == null || key.isInternal()) {
                throw HttpError.unauthorized("missing or invalid " + API_KEY);
            }
            return key;
        };
    }

    /** Accepts a request with a valid bearer token; the principal is its {@link Claims}. */
    public static Authenticator bearer(TokenVerifier tokens) {
        return head -> verify(tokens, bearer(head));
    }

    /** The claims of {@code token}; 401 {@code TOKEN_EXPIRED} or {@code UNAUTHORIZED} when it cannot be accepted. */
    public static Claims verify(TokenVerifier tokens, String token) {
        try {
            return tokens.verify(token);
        } catch (TokenException e) {
            throw e.reason() == TokenException.Reason.EXPIRED
                    ? HttpError.of(HttpResponseStatus.UNAUTHORIZED, HttpError.TOKEN_EXPIRED, e.getMessage())
                    : HttpError.unauthorized(e.getMessage());
        }
    }
}
