package dev.switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.auth.ApiKeys;
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
}
