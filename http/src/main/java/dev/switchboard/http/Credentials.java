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
        return isBearer(auth) ? auth.substring(BEARER.length()).strip() : null;
    }

    private static boolean isBearer(String auth) {
        return auth != null && auth.length() > BEARER.length() && auth.regionMatches(true, 0, BEARER, 0, BEARER.length());
    }

    /**
     * The claims of the head's {@code Authorization: Bearer} token, checked where it lies in the header's
     * value (no copy of the token per request); null when the head has no bearer token. The answers are
     * {@code verify(tokens, bearer(head))}'s.
     */
    public static Claims verifyBearer(TokenVerifier tokens, HttpRequest head) {
        String auth = head.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (!isBearer(auth)) {
            return null;
        }
        int from = BEARER.length();
        int to = auth.length();
        while (from < to && Character.isWhitespace(auth.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(auth.charAt(to - 1))) {
            to--;
        }
        try {
            return tokens.verify(auth, from, to);
        } catch (TokenException e) {
            throw answer(e);
        }
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
        return head -> {
            Claims claims = verifyBearer(tokens, head);
            return claims != null ? claims : verify(tokens, null);
        };
    }

    /** The claims of {@code token}; 401 {@code TOKEN_EXPIRED} or {@code UNAUTHORIZED} when it cannot be accepted. */
    public static Claims verify(TokenVerifier tokens, String token) {
        try {
            return tokens.verify(token);
        } catch (TokenException e) {
            throw answer(e);
        }
    }

    private static HttpError answer(TokenException e) {
        return e.reason() == TokenException.Reason.EXPIRED
                ? HttpError.of(HttpResponseStatus.UNAUTHORIZED, HttpError.TOKEN_EXPIRED, e.getMessage())
                : HttpError.unauthorized(e.getMessage());
    }
}
