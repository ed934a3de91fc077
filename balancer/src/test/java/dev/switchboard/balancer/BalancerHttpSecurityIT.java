package dev.switchboard.balancer;

import static org.awaitility.Awaitility.await;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.testing.HttpAttacks;
import dev.switchboard.testing.RawHttp;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The balancer's port attacked over real sockets (issue 15 item 3, ADR 0009):
 * a body without credentials is refused before it is read, a trickled head is
 * cut after the header timeout, pipelined requests are answered in order, and
 * connections past the limit get 503. Reads the registry of the shared Redis.
 */
class BalancerHttpSecurityIT {
    static final String SECRET = "0123456789abcdef0123456789abcdef-balancer-sec";
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);
    static final int MAX_CONNECTIONS = 4;
    static final String HEALTH = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

    static BalancerServer balancer;

    @BeforeAll
    static void start() throws InterruptedException {
        BalancerOptions options = BalancerOptions.builder().host("127.0.0.1").port(0)
                .refreshInterval(Duration.ofMillis(200))
                .http(BalancerOptions.DEFAULT_HTTP.toBuilder().headerTimeout(HEADER_TIMEOUT)
                        .maxConnections(MAX_CONNECTIONS).build())
                .build();
        balancer = BalancerServer.builder(options).redis("redis://127.0.0.1:6379")
                .tokenVerifier(TokenVerifier.builder().hs256Secret(SECRET).build())
                .apiKeys(new ApiKeys(List.of("balancer-security-key-0123"))).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (RawHttp c = RawHttp.connect(balancer.port())) {
                return c.send(HEALTH).read().status() == 200;
            }
        });
    }

    @AfterAll
    static void stop() {
        if (balancer != null) {
            balancer.close();
        }
    }

    @Test
    void aTenMebibyteBodyWithoutCredentialsGets401Unread() {
        HttpAttacks.assertBodyWithoutCredentialsIsRefusedUnread(balancer.port(), "GET /v1/connect HTTP/1.1");
        HttpAttacks.assertBodyWithoutCredentialsIsRefusedUnread(balancer.port(), "GET /v1/nodes HTTP/1.1");
    }

    @Test
    void aTrickledHeadIsCutAfterTheHeaderTimeout() throws InterruptedException {
        HttpAttacks.assertSlowHeadersAreCut(balancer.port(), "/v1/connect", HEADER_TIMEOUT);
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderSent() {
        HttpAttacks.assertPipelinedRequestsAreAnsweredInOrder(balancer.port(), List.of(
                "GET /v1/nodes HTTP/1.1\r\nHost: x\r\n\r\n",
                HEALTH,
                "GET /nothing/here HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /v1/connect HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer not-a-token\r\n\r\n",
                "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
                HEALTH),
                List.of(401, 200, 404, 401, 405, 200));
    }

    @Test
    void connectionsPastTheLimitGet503() {
        HttpAttacks.assertConnectionsPastTheLimitAreRefused(balancer.port(), MAX_CONNECTIONS, HEALTH);
    }
}
