package dev.switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.auth.TokenVerifier;
import java.time.Duration;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialsTest {
    private static final String ORG = "acme-backend-0123456789";
    private static final String INTERNAL = "edge-internal-0123456789";
    private final ApiKeys keys = ApiKeys.parse(List.of("org:acme:" + ORG)).and(ApiKeys.internal(INTERNAL));

    private static HttpRequest withKey(String key) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/nodes");
        r.headers().set(Credentials.API_KEY, key);
        return r;
    }

    @Test
    void anApiKeysPrincipalIsItsScopedKey() {
        ApiKeys.Key k = (ApiKeys.Key) Credentials.apiKey(keys).authenticate(withKey(ORG));
        assertEquals("acme", k.org());
    }

    @Test
    void theInternalCredentialIsNoServerApiKey() {
        HttpError e = assertThrows(HttpError.class, () -> Credentials.apiKey(keys).authenticate(withKey(INTERNAL)));
        assertEquals(HttpResponseStatus.UNAUTHORIZED, e.status());
    }

    @Test
    void aBearerTokenCheckedInPlaceIsAnsweredAsItsCopy() {
        String secret = "credentials-test-secret-0123456789abcdef";
        TokenVerifier tokens = TokenVerifier.builder().hs256Secret(secret).build();
        TokenIssuer issuer = new TokenIssuer(secret);
        String ok = issuer.issue("u-1", "acme", Duration.ofHours(1));
        String expired = issuer.issue("u-1", "acme", Duration.ofHours(-1));
        String other = new TokenIssuer("another-secret-0123456789abcdef0123").issue("u-1", "acme", Duration.ofHours(1));
        for (String auth : new String[] {null, "", "Bearer", "Bearer ", "Bearer \t ", "Basic dTpw", "Bearerx " + ok,
                "Bearer " + ok, "bearer   " + ok + " \t", "BEARER " + ok, "Bearer " + expired, "Bearer " + other,
                "Bearer " + ok + "x", "Bearer " + ok + " " + ok, "Bearer a.b.c", "Bearer ..", "Bearer \u2003" + ok}) {
            HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
            if (auth != null) {
                head.headers().set("Authorization", auth);
            }
            String copied = outcome(() -> Credentials.bearer(head) == null ? null : Credentials.verify(tokens, Credentials.bearer(head)));
            String inPlace = outcome(() -> Credentials.verifyBearer(tokens, head));
            assertEquals(copied, inPlace, "Authorization: " + auth);
            assertEquals(Credentials.bearer(head) == null ? outcome(() -> Credentials.verify(tokens, null)) : copied,
                    outcome(() -> Credentials.bearer(tokens).authenticate(head)), "authenticator, Authorization: " + auth);
        }
    }

    private static String outcome(java.util.function.Supplier<Object> check) {
        try {
            return "ok " + check.get();
        } catch (HttpError e) {
            return e.status() + " " + e.getMessage();
        }
    }
}
