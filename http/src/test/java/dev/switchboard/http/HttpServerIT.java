package dev.switchboard.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.NoBlockingOnEventLoops;
import dev.switchboard.testing.RawHttp;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP layer over real sockets, as a client that does not play by the rules
 * would use it: bodies without credentials, heads trickled byte by byte, idle
 * keep-alive connections, requests pipelined in one write, more connections
 * than allowed, failures that must not leak their text.
 */
@ExtendWith(NoBlockingOnEventLoops.class)
class HttpServerIT {
    private static final String KEY = "test-key";
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(700);
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(700);
    private static final int MAX_CONNECTIONS = 6;

    private static EventLoopGroup group;
    private static ScheduledExecutorService later;
    private static HttpServer server;
    private static final AtomicLong uploadBytesRead = new AtomicLong();

    @BeforeAll
    static void start() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        later = Executors.newSingleThreadScheduledExecutor();
        Authenticator key = head -> {
            if (!KEY.equals(head.headers().get("X-Test-Key"))) {
                throw HttpError.unauthorized("missing or invalid X-Test-Key");
            }
            return "tester";
        };
        Router router = Router.builder()
                .get("/healthz", Authenticator.NONE, ex -> ex.respond(Response.ok(Map.of("status", "ok"))))
                .get("/slow", Authenticator.NONE, ex -> later.schedule(
                        () -> ex.respond(Response.ok(Map.of("slow", true))), 300, TimeUnit.MILLISECONDS))
                .get("/items/{id}", key, ex -> ex.respond(Response.ok(Map.of(ex.principal(String.class).equals("tester") ? "id" : "?",
                        ex.pathParam("id")))))
                .route(HttpMethod.POST, "/echo", key, Body.buffered(1024),
                        ex -> ex.respond(Response.of(HttpResponseStatus.OK, ex.body(), "application/octet-stream")))
                .route(HttpMethod.POST, "/upload", key, Body.streamed(4 * 1024 * 1024, Duration.ofSeconds(10)),
                        ex -> CompletableFuture.runAsync(() -> {
                            long n = 0;
                            try (InputStream in = ex.bodyStream()) {
                                byte[] buf = new byte[8192];
                                for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                                    n += r;
                                }
                                uploadBytesRead.set(n);
                                ex.respond(Response.ok(Map.of("bytes", n)));
                            } catch (Exception e) {
                                ex.fail(e);
                            }
                        }))
                .get("/download", Authenticator.NONE, HttpServerIT::download)
                .get("/boom", Authenticator.NONE, ex -> {
                    throw new IllegalStateException("secret detail: password=hunter2");
                })
                .get("/later-boom", Authenticator.NONE, ex -> ex.complete(
                        CompletableFuture.failedFuture(new RuntimeException("db at 10.0.0.7 refused"))))
                .build();
        HttpServerOptions options = HttpServerOptions.builder().headerTimeout(HEADER_TIMEOUT)
                .idleTimeout(IDLE_TIMEOUT).maxConnections(MAX_CONNECTIONS).maxPipelined(4).build();
        server = HttpServer.start(group, NioServerSocketChannel.class, "127.0.0.1", 0,
                HttpServerPipeline.of(options, router));
    }

    private static void download(HttpExchange ex) {
        int size = Integer.parseInt(ex.queryParam("size"));
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, size).set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
        ResponseStream out = ex.stream(head);
        new Object() {
            int sent;

            void pump() {
                while (sent < size && out.isWritable()) {
                    int n = Math.min(16 * 1024, size - sent);
                    byte[] chunk = new byte[n];
                    java.util.Arrays.fill(chunk, (byte) 'x');
                    out.write(Unpooled.wrappedBuffer(chunk));
                    sent += n;
                }
                if (sent == size) {
                    out.end();
                } else {
                    out.whenWritable(this::pump, () -> { });
                }
            }
        }.pump();
    }

    @AfterAll
    static void stop() {
        server.close();
        later.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aBodyWithoutCredentialsIsRefusedBeforeItIsSent() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(401, r.status());
            assertEquals("{\"error\":{\"code\":\"UNAUTHORIZED\",\"message\":\"missing or invalid X-Test-Key\"}}", r.text());
            assertEquals("close", r.header("connection"));
            assertTrue(c.closedWithin(Duration.ofSeconds(5)), "the server does not wait for the body");
        }
    }

    @Test
    void aChunkedBodyWithoutCredentialsIsRefusedBeforeItIsSent() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            assertEquals(401, c.read().status());
            assertTrue(c.closedWithin(Duration.ofSeconds(5)));
        }
    }

    @Test
    void aDeclaredBodyOverTheRouteLimitIsRefusedBeforeItIsSent() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nX-Test-Key: " + KEY + "\r\nContent-Length: 1025\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(413, r.status());
            assertEquals("PAYLOAD_TOO_LARGE", code(r));
            assertTrue(c.closedWithin(Duration.ofSeconds(5)));
        }
    }

    @Test
    void aChunkedBodyPastTheRouteLimitIsRefusedAndTheConnectionClosed() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nX-Test-Key: " + KEY + "\r\nTransfer-Encoding: chunked\r\n\r\n");
            c.send("400\r\n" + "a".repeat(0x400) + "\r\n");
            c.send("10\r\n" + "b".repeat(16) + "\r\n");
            RawHttp.Response r = c.read();
            assertEquals(413, r.status());
            assertTrue(c.closedWithin(Duration.ofSeconds(5)));
        }
    }

    @Test
    void aStreamedRouteNeedsAContentLength() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: x\r\nX-Test-Key: " + KEY + "\r\nTransfer-Encoding: chunked\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(411, r.status());
            assertEquals("LENGTH_REQUIRED", code(r));
        }
    }

    @Test
    void expectContinueIsAnsweredOnlyAfterTheHeadIsAccepted() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertEquals(401, c.read().status(), "no 100 Continue without credentials");
        }
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nX-Test-Key: " + KEY + "\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertEquals(100, c.read().status());
            c.send("hello");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("hello", r.text());
        }
    }

    @Test
    void aStreamedUploadArrivesWhole() {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(body);
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: x\r\nX-Test-Key: " + KEY + "\r\nContent-Length: " + body.length + "\r\n\r\n");
            c.send(body);
            RawHttp.Response r = c.read();
            assertEquals(200, r.status(), r.text());
            assertEquals("{\"bytes\":" + body.length + "}", r.text());
        }
    }

    @Test
    void slowHeadersAreClosedAfterTheHeaderTimeout() throws Exception {
        try (RawHttp c = RawHttp.connect(server.port())) {
            // A head well under the size limit, one byte every 50 ms: 20 s in all, against a timeout of 0.7 s.
            byte[] head = ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(360) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            boolean cut = false;
            for (int i = 0; i < head.length - 4 && !cut; i++) {
                cut = !c.trySend(new byte[] {head[i]});
                Thread.sleep(50); // the pause is the attack: a slowloris trickles its head over time
                cut |= c.socket().getInputStream().available() > 0;
            }
            assertTrue(cut, "the server kept reading a head trickled over " + (head.length * 50) + " ms");
            RawHttp.Response r = c.read();
            assertEquals(408, r.status());
            assertEquals("REQUEST_TIMEOUT", code(r));
            assertTrue(c.closedWithin(Duration.ofSeconds(5)));
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            assertTrue(c.closedWithin(HEADER_TIMEOUT.plusSeconds(5)));
        }
    }

    @Test
    void idleKeepAliveConnectionsAreClosed() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("keep-alive", r.header("connection"));
            long start = System.nanoTime();
            assertTrue(c.closedWithin(IDLE_TIMEOUT.plusSeconds(5)));
            assertTrue((System.nanoTime() - start) / 1_000_000 >= IDLE_TIMEOUT.toMillis() - 100);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredOneAtATimeInOrder() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nX-Test-Key: " + KEY + "\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /items/42 HTTP/1.1\r\nHost: x\r\nX-Test-Key: " + KEY + "\r\n\r\n");
            assertEquals("{\"slow\":true}", c.read().text());
            assertEquals("{\"status\":\"ok\"}", c.read().text());
            assertEquals("abc", c.read().text());
            assertEquals("{\"id\":\"42\"}", c.read().text());
        }
    }

    @Test
    void requestsPipelinedPastTheLimitAreNotAnsweredAndTheConnectionCloses() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".repeat(20));
            int answered = 0;
            try {
                while (answered < 21) {
                    assertEquals(200, c.read().status());
                    answered++;
                }
            } catch (java.io.UncheckedIOException e) {
                // closed after the last answer
            }
            assertTrue(answered >= 5 && answered < 21, "answered " + answered);
        }
    }

    @Test
    void aConnectionOverTheLimitGets503AndIsClosed() throws InterruptedException {
        Router router = Router.builder().get("/healthz", Authenticator.NONE, ex -> ex.respond(Response.ok(Map.of()))).build();
        HttpServer limited = HttpServer.start(group, NioServerSocketChannel.class, "127.0.0.1", 0,
                HttpServerPipeline.of(HttpServerOptions.builder().maxConnections(3).build(), router));
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawHttp c = RawHttp.connect(limited.port());
                held.add(c);
                c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(200, c.read().status());
            }
            try (RawHttp extra = RawHttp.connect(limited.port())) {
                RawHttp.Response r = extra.read();
                assertEquals(503, r.status());
                assertEquals("UNAVAILABLE", code(r));
                assertEquals("1", r.header("retry-after"));
                assertTrue(extra.closedWithin(Duration.ofSeconds(5)));
            }
            held.removeFirst().close();
            await().atMost(Duration.ofSeconds(5)).until(() -> limited.pipeline().openConnections() < 3);
            try (RawHttp again = RawHttp.connect(limited.port())) {
                again.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(200, again.read().status());
            }
        } finally {
            held.forEach(RawHttp::close);
            limited.close();
        }
    }

    @Test
    void failuresAreAnswered500WithoutTheirText() {
        for (String path : List.of("/boom", "/later-boom")) {
            try (RawHttp c = RawHttp.connect(server.port())) {
                c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Response r = c.read();
                assertEquals(500, r.status());
                assertEquals("{\"error\":{\"code\":\"INTERNAL\",\"message\":\"internal error\"}}", r.text());
            }
        }
    }

    @Test
    void unknownPathsAndMethodsGetTheOneEnvelope() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(404, r.status());
            assertEquals("{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such endpoint: /nope\"}}", r.text());
            assertEquals("application/json", r.header("content-type"));
            c.send("DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            r = c.read();
            assertEquals(405, r.status());
            assertEquals("METHOD_NOT_ALLOWED", code(r));
            assertEquals("GET, HEAD", r.header("allow"));
            c.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            r = c.readHead();
            assertEquals(200, r.status());
            c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, c.read().status(), "HEAD left no body on the wire");
        }
    }

    @Test
    void aBadRequestLineOrOversizedHeadersGetTheirStatus() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(414, c.read().status());
        }
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n");
            assertEquals(431, c.read().status());
        }
    }

    @Test
    void slowReadersStallNobodyElseAndAreClosedWhenTheyStopReading() {
        List<RawHttp> slow = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> server.pipeline().openConnections() == 0);
            for (int i = 0; i < 3; i++) {
                RawHttp c = RawHttp.connect("127.0.0.1", server.port(), 4096);
                slow.add(c);
                c.send("GET /download?size=" + (32 * 1024 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(200, c.readHead().status());
            }
            try (RawHttp c = RawHttp.connect(server.port())) {
                c.send("GET /download?size=100000 HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Response r = c.read();
                byte[] expected = new byte[100_000];
                java.util.Arrays.fill(expected, (byte) 'x');
                assertArrayEquals(expected, r.body());
            }
            // The three never read past the head: once their buffers are full for idleTimeout, they are closed.
            await().atMost(IDLE_TIMEOUT.plusSeconds(10)).until(() -> server.pipeline().openConnections() == 0);
        } finally {
            slow.forEach(RawHttp::close);
        }
    }

    private static String code(RawHttp.Response r) {
        String t = r.text();
        int i = t.indexOf("\"code\":\"") + 8;
        return t.substring(i, t.indexOf('"', i));
    }
}
