package dev.switchboard.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebAppHandlerTest {
    /** Stands in for the REST handler: records what it was handed. */
    final List<Object> delegated = new ArrayList<>();
    final EmbeddedChannel channel = new EmbeddedChannel(new WebAppHandler(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            delegated.add(msg);
        }
    }));

    @AfterEach
    void close() {
        delegated.forEach(io.netty.util.ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
    }

    FullHttpResponse get(String uri, String... headers) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        for (int i = 0; i < headers.length; i += 2) {
            req.headers().set(headers[i], headers[i + 1]);
        }
        channel.writeInbound(req);
        return channel.readOutbound();
    }

    @Test
    void servesThePageAndItsFilesWithTheirTypes() {
        FullHttpResponse index = get("/app/");
        assertEquals(200, index.status().code());
        assertEquals("text/html; charset=utf-8", index.headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertTrue(index.content().toString(StandardCharsets.UTF_8).contains("<script type=\"module\" src=\"app.js\">"));
        assertTrue(index.headers().contains("Content-Security-Policy"));
        index.release();
        for (String[] f : new String[][] {{"app.js", "text/javascript"}, {"style.css", "text/css"},
                {"vendor/switchboard-client.js", "text/javascript"}}) {
            FullHttpResponse r = get("/app/" + f[0]);
            assertEquals(200, r.status().code(), f[0]);
            assertTrue(r.headers().get(HttpHeaderNames.CONTENT_TYPE).startsWith(f[1]), f[0]);
            assertEquals("no-cache", r.headers().get(HttpHeaderNames.CACHE_CONTROL));
            r.release();
        }
    }

    @Test
    void answersNotModifiedForTheSameEtag() {
        FullHttpResponse first = get("/app/app.js");
        String etag = first.headers().get(HttpHeaderNames.ETAG);
        first.release();
        FullHttpResponse again = get("/app/app.js", "If-None-Match", etag);
        assertEquals(304, again.status().code());
        assertEquals(0, again.content().readableBytes());
        again.release();
    }

    @Test
    void redirectsTheRootToTheAppKeepingTheQuery() {
        FullHttpResponse r = get("/?token=abc");
        assertEquals(302, r.status().code());
        assertEquals("/app/?token=abc", r.headers().get(HttpHeaderNames.LOCATION));
        r.release();
        FullHttpResponse bare = get("/app");
        assertEquals("/app/", bare.headers().get(HttpHeaderNames.LOCATION));
        bare.release();
    }

    @Test
    void refusesTraversalAndUnknownFiles() {
        for (String uri : List.of("/app/../pom.xml", "/app/%2e%2e/%2e%2e/etc/passwd", "/app/vendor/..%2f..%2fapp.js", "/app/a\\b")) {
            FullHttpResponse r = get(uri);
            assertEquals(400, r.status().code(), uri);
            r.release();
        }
        FullHttpResponse missing = get("/app/nope.js");
        assertEquals(404, missing.status().code());
        missing.release();
        FullHttpResponse dir = get("/app/vendor/");
        assertEquals(404, dir.status().code(), "a folder is not a file");
        dir.release();
    }

    @Test
    void passesEveryOtherRequestToTheNextHandler() {
        FullHttpRequest rest = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/me/channels");
        channel.writeInbound(rest);
        assertNull(channel.readOutbound());
        assertEquals(1, delegated.size());
        assertSame(rest, delegated.get(0));
        FullHttpRequest health = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/healthz");
        channel.writeInbound(health);
        assertSame(health, delegated.get(1));
    }

    @Test
    void onlyReadsAreAllowed() {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/app/index.html"));
        FullHttpResponse r = channel.readOutbound();
        assertEquals(405, r.status().code());
        assertEquals("GET, HEAD", r.headers().get(HttpHeaderNames.ALLOW));
        r.release();
    }
}
