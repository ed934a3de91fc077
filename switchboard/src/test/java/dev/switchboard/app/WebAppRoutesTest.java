package dev.switchboard.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.http.HttpServer;
import dev.switchboard.http.HttpServerOptions;
import dev.switchboard.http.HttpServerPipeline;
import dev.switchboard.testing.RawHttp;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web client's routes on a loopback port of the shared HTTP layer. */
class WebAppRoutesTest {
    static EventLoopGroup group;
    static HttpServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = HttpServer.start(group, NioServerSocketChannel.class, "127.0.0.1", 0,
                HttpServerPipeline.of(HttpServerOptions.defaults(), new WebAppRoutes().router()));
    }

    @AfterAll
    static void stop() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static RawHttp.Response get(String uri, String... headers) {
        StringBuilder head = new StringBuilder("GET " + uri + " HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        try (RawHttp c = RawHttp.connect(server.port())) {
            return c.send(head.append("\r\n").toString()).read();
        }
    }

    @Test
    void servesThePageAndItsFilesWithTheirTypes() {
        RawHttp.Response index = get("/app/");
        assertEquals(200, index.status());
        assertEquals("text/html; charset=utf-8", index.header("content-type"));
        assertTrue(index.text().contains("<script type=\"module\" src=\"app.js\">"));
        assertTrue(index.headers().containsKey("content-security-policy"));
        for (String[] f : new String[][] {{"app.js", "text/javascript"}, {"style.css", "text/css"},
                {"vendor/switchboard-client.js", "text/javascript"}}) {
            RawHttp.Response r = get("/app/" + f[0]);
            assertEquals(200, r.status(), f[0]);
            assertTrue(r.header("content-type").startsWith(f[1]), f[0]);
            assertEquals("no-cache", r.header("cache-control"));
        }
    }

    @Test
    void answersNotModifiedForTheSameEtag() {
        String etag = get("/app/app.js").header("etag");
        RawHttp.Response again = get("/app/app.js", "If-None-Match", etag);
        assertEquals(304, again.status());
        assertEquals(0, again.body().length);
    }

    @Test
    void redirectsTheRootToTheAppKeepingTheQuery() {
        RawHttp.Response r = get("/?token=abc");
        assertEquals(302, r.status());
        assertEquals("/app/?token=abc", r.header("location"));
        assertEquals("/app/", get("/app").header("location"));
    }

    @Test
    void refusesTraversalAndUnknownFiles() {
        for (String uri : List.of("/app/../pom.xml", "/app/%2e%2e/%2e%2e/etc/passwd", "/app/vendor/..%2f..%2fapp.js", "/app/a\\b")) {
            RawHttp.Response r = get(uri);
            assertEquals(400, r.status(), uri);
        }
        RawHttp.Response missing = get("/app/nope.js");
        assertEquals(404, missing.status());
        assertTrue(missing.text().contains("\"NOT_FOUND\""), missing.text());
        assertEquals(404, get("/app/vendor/").status(), "a folder is not a file");
    }

    @Test
    void onlyReadsAreAllowed() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send("POST /app/index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read();
            assertEquals(405, r.status());
            assertEquals("GET, HEAD", r.header("allow"));
        }
    }
}
