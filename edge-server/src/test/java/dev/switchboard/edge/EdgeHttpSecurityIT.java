package dev.switchboard.edge;

import dev.switchboard.http.HttpServerOptions;
import dev.switchboard.testing.HttpAttacks;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An edge node's two HTTP ports attacked over real sockets (issue 15 item 3,
 * ADR 0009): on the server API port and on the public port, a body without
 * credentials is refused before it is read, a trickled head is cut after the
 * header timeout, pipelined requests are answered in order and connections past
 * the limit get 503.
 */
class EdgeHttpSecurityIT {
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);
    static final int MAX_CONNECTIONS = 4;
    static final String HEALTH = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

    static EdgeFixture fx;
    static EdgeServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        fx = new EdgeFixture();
        HttpServerOptions limits = HttpServerOptions.builder().headerTimeout(HEADER_TIMEOUT)
                .maxConnections(MAX_CONNECTIONS).build();
        server = fx.start(EdgeFixture.options().nodeId("http-security")
                .http(limits).apiHttp(limits).build());
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void aTenMebibyteBodyWithoutAKeyGets401UnreadOnTheServerApi() {
        HttpAttacks.assertBodyWithoutCredentialsIsRefusedUnread(server.apiPort(), "POST /v1/publish HTTP/1.1");
        HttpAttacks.assertBodyWithoutCredentialsIsRefusedUnread(server.apiPort(), "POST /v1/broadcast HTTP/1.1");
    }

    @Test
    void aTenMebibyteBodyToTheUpgradeIsRefusedUnread() {
        // The upgrade takes no body: refused (413) from the head, before its token is even looked at.
        HttpAttacks.assertBodyIsRefusedUnread(server.port(), "GET /ws HTTP/1.1", 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void aTrickledHeadIsCutAfterTheHeaderTimeoutOnBothPorts() throws InterruptedException {
        HttpAttacks.assertSlowHeadersAreCut(server.apiPort(), "/v1/stats", HEADER_TIMEOUT);
        HttpAttacks.assertSlowHeadersAreCut(server.port(), "/ws", HEADER_TIMEOUT);
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderSent() {
        String body = "{\"channel\":\"acme/news\",\"data\":{\"n\":1}}";
        HttpAttacks.assertPipelinedRequestsAreAnsweredInOrder(server.apiPort(), List.of(
                "POST /v1/publish HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + EdgeFixture.API_KEY
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body,
                "GET /v1/stats HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /nothing/here HTTP/1.1\r\nHost: x\r\n\r\n",
                HEALTH), List.of(200, 401, 404, 200));
        HttpAttacks.assertPipelinedRequestsAreAnsweredInOrder(server.port(), List.of(
                "GET /ws HTTP/1.1\r\nHost: x\r\n\r\n",
                HEALTH,
                "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), List.of(426, 200, 405));
    }

    @Test
    void connectionsPastTheLimitGet503OnBothPorts() {
        HttpAttacks.assertConnectionsPastTheLimitAreRefused(server.apiPort(), MAX_CONNECTIONS, HEALTH);
        HttpAttacks.assertConnectionsPastTheLimitAreRefused(server.port(), MAX_CONNECTIONS, HEALTH);
    }
}
