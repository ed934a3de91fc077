package dev.switchboard.message.http;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.KeyScopeException;
import dev.switchboard.auth.ServerPrincipal;
import dev.switchboard.auth.TokenException;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.UserRef;
import dev.switchboard.wire.ErrorCode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Objects;

/**
 * Authenticates a REST request. A user call carries the same JWT as the
 * WebSocket ({@code Authorization: Bearer}); a server call carries an API key
 * ({@code X-Api-Key}) and may act for a user with {@code X-Switchboard-User}
 * and {@code X-Switchboard-Org} (the edge relays its users' calls this way, with
 * the internal credential) in an organisation the key may act in
 * ({@link ServerPrincipal}): a key of another organisation gets 403
 * {@code PERMISSION_DENIED} before anything is read.
 * CPU only (an HMAC or RSA check), so it runs on the event loop.
 */
public final class RequestAuthenticator {
    public static final String API_KEY = "X-Api-Key";
    public static final String ACT_AS_USER = "X-Switchboard-User";
    public static final String ACT_AS_ORG = "X-Switchboard-Org";
    private static final String BEARER = "Bearer ";

    private final TokenVerifier tokens;
    private final ApiKeys apiKeys;

    public RequestAuthenticator(TokenVerifier tokens, ApiKeys apiKeys) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
    }

    Principal authenticate(HttpHeaders headers) {
        String key = headers.get(API_KEY);
        if (key != null) {
            ApiKeys.Key found = apiKeys.find(key);
            if (found == null) {
                throw new ChatException(ErrorCode.UNAUTHORIZED, "bad API key");
            }
            try {
                ServerPrincipal p = ServerPrincipal.resolve(found, headers.get(ACT_AS_ORG), headers.get(ACT_AS_USER),
                        ACT_AS_ORG, ACT_AS_USER);
                return Principal.ofServer(found, p.actsForUser() ? new UserRef(p.org(), p.user()) : null);
            } catch (KeyScopeException e) {
                throw scopeRefusal(e);
            }
        }
        String auth = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ChatException(ErrorCode.UNAUTHORIZED, "a bearer token or an API key is required");
        }
        try {
            return Principal.ofUser(UserRef.of(tokens.verify(auth.substring(BEARER.length()).trim())));
        } catch (TokenException e) {
            throw new ChatException(e.reason() == TokenException.Reason.EXPIRED
                    ? ErrorCode.TOKEN_EXPIRED : ErrorCode.UNAUTHORIZED, e.getMessage());
        }
    }

    /** The answer to a key that may not do what it asks: 403 {@code PERMISSION_DENIED} (or 400 for a malformed ask). */
    static ChatException scopeRefusal(KeyScopeException e) {
        return e.forbidden() ? ChatException.forbidden(e.getMessage()) : ChatException.badRequest(e.getMessage());
    }
}
