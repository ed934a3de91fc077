package dev.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The attacks every HTTP surface must withstand (docs/security.md, ADR 0009),
 * over real sockets with {@link RawHttp}, so that each surface's
 * {@code *SecurityIT} shows the shared layer is really in front of it. Each
 * check takes the port and the requests that make sense on that surface.
 */
public final class HttpAttacks {
    /** The body an attacker declares without credentials. */
    public static final int TEN_MIB = 10 * 1024 * 1024;

    private HttpAttacks() {
    }

    /**
     * A request head without credentials that declares a 10 MiB body: answered 401
     * at once and the connection closed, so the body is never read: writing it fails
     * (the server closed and reset the connection) long before 10 MiB are taken.
     * {@code requestLine} is e.g. {@code "POST /v1/channels/1/messages HTTP/1.1"}.
     */
    public static void assertBodyWithoutCredentialsIsRefusedUnread(int port, String requestLine) {
        assertBodyIsRefusedUnread(port, requestLine, 401, "UNAUTHORIZED");
    }

    /** As {@link #bodyWithoutCredentialsIsRefusedUnread}, for a refusal of another status and code. */
    public static void assertBodyIsRefusedUnread(int port, String requestLine, int status, String code) {
        try (RawHttp c = RawHttp.connect(port)) {
            c.send(requestLine + "\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + TEN_MIB + "\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(status, r.status(), r.text());
            assertTrue(r.text().startsWith("{\"error\":{\"code\":\"" + code + "\""), r.text());
            assertEquals("close", r.header("connection"));
            assertTrue(c.closedWithin(Duration.ofSeconds(10)), "the server waits for a body it will not use");
            byte[] chunk = new byte[64 * 1024];
            long taken = 0;
            while (taken < TEN_MIB && c.trySend(chunk)) {
                taken += chunk.length;
            }
            assertTrue(taken < TEN_MIB, "the server took the whole body of a request it refused");
        }
    }

    /**
     * A head trickled one byte at a time (a slowloris): closed after the surface's
     * header timeout ({@code headerTimeout}, set short by the test), answered 408
     * when the server got to say so, long before the head would have been complete.
     */
    public static void assertSlowHeadersAreCut(int port, String path, Duration headerTimeout) throws InterruptedException {
        try (RawHttp c = RawHttp.connect(port)) {
            long pauseMs = 50;
            int padding = (int) Math.max(400, 4 * headerTimeout.toMillis() / pauseMs + 200);
            byte[] head = ("GET " + path + " HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(Math.min(padding, 7000))
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            boolean cut = false;
            for (int i = 0; i < head.length - 4 && !cut; i++) {
                cut = !c.trySend(new byte[] {head[i]});
                // The pause is the attack: a slowloris trickles its head over time, so time must pass.
                Thread.sleep(pauseMs);
                cut |= c.socket().getInputStream().available() > 0;
            }
            assertTrue(cut, "the server kept reading a head trickled over " + head.length * pauseMs + " ms");
            try {
                RawHttp.Response r = c.read();
                assertEquals(408, r.status());
                assertTrue(r.text().contains("\"REQUEST_TIMEOUT\""), r.text());
            } catch (java.io.UncheckedIOException e) {
                // reset before the answer could be read: closed all the same
            }
            assertTrue(c.closedWithin(Duration.ofSeconds(10)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Requests written in one go are answered one at a time, in the order sent:
     * {@code requests} (complete requests, each ending its head with a blank line)
     * get {@code statuses}, in that order.
     */
    public static void assertPipelinedRequestsAreAnsweredInOrder(int port, List<String> requests, List<Integer> statuses) {
        try (RawHttp c = RawHttp.connect(port)) {
            c.send(String.join("", requests));
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < statuses.size(); i++) {
                got.add(c.read().status());
            }
            assertEquals(statuses, got);
        }
    }

    /**
     * With the surface's limit at {@code max} connections (set by the test): {@code max}
     * connections are served, the next gets 503 UNAVAILABLE and is closed, and once one
     * of the first closes a new connection is served again. {@code request} is a
     * complete request that answers 200 (a health check).
     */
    public static void assertConnectionsPastTheLimitAreRefused(int port, int max, String request) {
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < max; i++) {
                RawHttp c = RawHttp.connect(port);
                held.add(c);
                c.send(request);
                assertEquals(200, c.read().status());
            }
            try (RawHttp extra = RawHttp.connect(port)) {
                RawHttp.Response r = extra.read();
                assertEquals(503, r.status());
                assertTrue(r.text().contains("\"UNAVAILABLE\""), r.text());
                assertTrue(extra.closedWithin(Duration.ofSeconds(10)));
            }
            held.removeFirst().close();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                try (RawHttp again = RawHttp.connect(port)) {
                    again.send(request);
                    return again.read().status() == 200;
                } catch (RuntimeException e) {
                    return false;
                }
            });
        } finally {
            held.forEach(RawHttp::close);
        }
    }
}
