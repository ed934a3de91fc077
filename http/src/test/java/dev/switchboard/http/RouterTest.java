package dev.switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final Handler NOTHING = ex -> { };

    private final Router router = Router.builder()
            .get("/v1/channels/{id}", Authenticator.NONE, NOTHING)
            .route(HttpMethod.POST, "/v1/channels/{id}/messages", Authenticator.NONE, Body.buffered(), NOTHING)
            .get("/v1/channels/{id}/messages", Authenticator.NONE, NOTHING)
            .get("/v1/me/channels", Authenticator.NONE, NOTHING)
            .get("/app/{*file}", Authenticator.NONE, NOTHING)
            .build();

    @Test
    void matchesLiteralsAndParameters() {
        Router.Match m = router.match(HttpMethod.GET, "/v1/channels/42");
        assertEquals("/v1/channels/{id}", m.route().pattern);
        assertEquals(Map.of("id", "42"), m.params());
        assertEquals("/v1/me/channels", router.match(HttpMethod.GET, "//v1/me/channels/").route().pattern);
        assertEquals(HttpMethod.POST, router.match(HttpMethod.POST, "/v1/channels/7/messages").route().method);
    }

    @Test
    void aRestParameterTakesWhatIsLeft() {
        assertEquals(Map.of("file", "js/app.js"), router.match(HttpMethod.GET, "/app/js/app.js").params());
        assertEquals(Map.of("file", ""), router.match(HttpMethod.GET, "/app/").params());
    }

    @Test
    void emptySegmentsAreSkippedWhereverTheyAre() {
        assertEquals(Map.of("id", "42"), router.match(HttpMethod.GET, "///v1//channels///42//").params());
        assertEquals(Map.of("file", "js/app.js"), router.match(HttpMethod.GET, "/app//js///app.js/").params());
        assertEquals(Map.of("file", ""), router.match(HttpMethod.GET, "//app//").params());
        assertEquals("/v1/me/channels", router.match(HttpMethod.GET, "/v1/me/channels").route().pattern);
        assertThrows(HttpError.class, () -> router.match(HttpMethod.GET, "/v1/me/channelsx"));
        assertThrows(HttpError.class, () -> router.match(HttpMethod.GET, "/v1/me/channel"));
        assertThrows(HttpError.class, () -> router.match(HttpMethod.GET, "/"));
        assertThrows(HttpError.class, () -> router.match(HttpMethod.GET, ""));
        assertEquals(0, Router.countSegments("//"));
        assertEquals(3, Router.countSegments("a//b/c/"));
    }

    @Test
    void headIsServedByGet() {
        assertEquals(HttpMethod.GET, router.match(HttpMethod.HEAD, "/v1/channels/1").route().method);
    }

    @Test
    void anotherMethodIs405WithAllowAndAnUnknownPath404() {
        Router.MethodNotAllowed e = assertThrows(Router.MethodNotAllowed.class,
                () -> router.match(HttpMethod.DELETE, "/v1/channels/1/messages"));
        assertEquals("GET, HEAD, POST", e.allow);
        HttpError notFound = assertThrows(HttpError.class, () -> router.match(HttpMethod.GET, "/v1/nothing"));
        assertEquals(404, notFound.status().code());
        assertEquals("NOT_FOUND", notFound.code());
    }

    @Test
    void errorCodesAreUpperSnakeCase() {
        assertThrows(IllegalArgumentException.class, () -> HttpError.of(
                io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND, "not_found", "x"));
    }
}
