package dev.switchboard.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.client.internal.WireConnection;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.edge.EdgeFixture.Recorder;
import dev.switchboard.edge.pipeline.Tls;
import dev.switchboard.testing.NoBlockingOnEventLoops;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.Ping;
import dev.switchboard.wire.proto.Refresh;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.Subscribe;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every limit of the edge, over real sockets: each breach gets its documented answer. */
@ExtendWith(NoBlockingOnEventLoops.class)
class LimitsIT {
    @AutoClose
    final EdgeFixture fx = new EdgeFixture();

    @Test
    void connectionsPerUserAndPerOrganisationAreCappedWith429() throws Exception {
        EdgeServer node = fx.start(EdgeFixture.options().nodeId("lim").connectionLimits(2, 0, 3).build());
        Recorder a1 = fx.connect(node, "ann", "acme");
        fx.connect(node, "ann", "acme");
        assertTrue(EdgeFixture.rawUpgradeStatus(node, "/ws?token=" + fx.token("ann", "acme")).contains("429"), "third session of a user");
        fx.connect(node, "bob", "acme");
        assertTrue(EdgeFixture.rawUpgradeStatus(node, "/ws?token=" + fx.token("cid", "acme")).contains("429"), "fourth session of an org");
        assertTrue(EdgeFixture.rawUpgradeStatus(node, "/ws?token=" + fx.token("dan", "globex")).contains("101"), "other orgs unaffected");
        a1.client.close();
        await("a closed session gives its slot back").atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> EdgeFixture.rawUpgradeStatus(node, "/ws?token=" + fx.token("ann", "acme")).contains("101"));
    }

    @Test
    void anIpv6ClientIsCountedByItsPrefixAndGivesItsSlotBack() throws Exception {
        // Over ::1: the per-address limit takes the key of the address's /64 at the upgrade and must give back the
        // same key when the session closes (ClientAddressTest shows that addresses of one /64 share a key).
        EdgeServer node = fx.start(EdgeFixture.options().host("::1").nodeId("v6").connectionLimits(0, 1, 0).build());
        try (EdgeFixture.RawUpgrade first = EdgeFixture.rawUpgrade("::1", node.port(), "/ws?token=" + fx.token("ann", "acme"))) {
            assertTrue(first.status().contains("101"), first.status());
            try (EdgeFixture.RawUpgrade second = EdgeFixture.rawUpgrade("::1", node.port(), "/ws?token=" + fx.token("bob", "acme"))) {
                assertTrue(second.status().contains("429"), "a second session from the same IPv6 prefix: " + second.status());
            }
        }
        await("the closed session gives its prefix's slot back").atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    try (EdgeFixture.RawUpgrade u = EdgeFixture.rawUpgrade("::1", node.port(), "/ws?token=" + fx.token("cid", "acme"))) {
                        return u.status().contains("101");
                    }
                });
    }

    @Test
    void ipv4ClientsOfADualStackListenerAreCountedApart() throws Exception {
        // Bound to "::", the listener is an IPv6 socket that also takes IPv4 peers (::ffff:a.b.c.d on the wire; Netty
        // 4.2 hands them over as IPv4 addresses, and ClientAddress maps the other form too): each peer must count as
        // its own IPv4 address, not as one /64 shared by every IPv4 client.
        EdgeServer node = fx.start(EdgeFixture.options().host("::").nodeId("dual").connectionLimits(0, 1, 0).build());
        try (EdgeFixture.RawUpgrade a = EdgeFixture.rawUpgradeFrom("127.0.0.2", "127.0.0.1", node.port(), "/ws?token=" + fx.token("ann", "acme"));
             EdgeFixture.RawUpgrade b = EdgeFixture.rawUpgradeFrom("127.0.0.3", "127.0.0.1", node.port(), "/ws?token=" + fx.token("bob", "acme"));
             EdgeFixture.RawUpgrade again = EdgeFixture.rawUpgradeFrom("127.0.0.2", "127.0.0.1", node.port(), "/ws?token=" + fx.token("cid", "acme"))) {
            assertTrue(a.status().contains("101"), a.status());
            assertTrue(b.status().contains("101"), "another IPv4 address: " + b.status());
            assertTrue(again.status().contains("429"), "the first address again: " + again.status());
        }
    }

    @Test
    void connectRatePerIpIsCapped() throws Exception {
        EdgeServer node = fx.start(EdgeFixture.options().nodeId("rate").connectRatePerIp(5).build());
        int refused = 0;
        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            if (EdgeFixture.rawUpgradeStatus(node, "/ws?token=" + fx.token("u" + i, "acme")).contains("429")) {
                refused++;
            }
        }
        // The bucket holds one second's worth (5) and refills 5/s: however slow the machine made the burst, no
        // more upgrades were accepted than that (not a timing assertion: a slower burst only allows more).
        double seconds = (System.nanoTime() - started) / 1e9;
        int allowed = 5 + (int) Math.ceil(5 * seconds);
        assertTrue(20 - refused <= allowed,
                "a burst of 20 upgrades from one address at 5/s over " + seconds + " s: " + refused + " refused, at most "
                        + allowed + " may pass");
    }

    @Test
    void channelsPerConnectionAreCappedEvenWhenTheSubscribesArriveInOneMessage() throws Exception {
        EdgeServer node = fx.start(EdgeFixture.options().nodeId("cap").maxChannelsPerSession(4).build()); // the personal channel is one of the four
        Recorder r = fx.connect(node, "ann", "acme");
        // Ten subscribes in one message are all checked before the first one is added: each is checked again when added.
        ClientFrame[] subscribes = new ClientFrame[10];
        for (int i = 0; i < subscribes.length; i++) {
            subscribes[i] = ClientFrame.newBuilder().setId(r.client.nextId())
                    .setSubscribe(Subscribe.newBuilder().setChannel("acme/cap-" + i)).build();
        }
        r.client.send(subscribes);
        await().atMost(Duration.ofSeconds(5)).until(() -> subscribed(node, 10) >= 3);
        r.client.ping(1).get(5, TimeUnit.SECONDS); // read after the ten were added or refused
        Thread.sleep(200);
        assertEquals(3, subscribed(node, 10), "channels subscribed of the ten");
        ExecutionException refused = assertThrows(
                ExecutionException.class, () -> r.client.subscribe("acme/cap-extra").get(5, TimeUnit.SECONDS));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, ((SwitchboardException) refused.getCause()).code());
    }

    private static int subscribed(EdgeServer node, int channels) {
        int n = 0;
        for (int i = 0; i < channels; i++) {
            n += node.hub().localSubscribers("acme/cap-" + i);
        }
        return n;
    }

    @Test
    void commandFloodsGetErrorsThenADisconnect() throws Exception {
        EdgeServer node = fx.start(EdgeFixture.options().nodeId("flood").commandRate(10, 20).build());
        Recorder r = fx.connect(node, "ann", "acme");
        List<CompletableFuture<ServerFrame>> pings = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            pings.add(r.client.request(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(i))));
        }
        int limited = 0;
        for (CompletableFuture<ServerFrame> p : pings) {
            try {
                p.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                assertEquals(ErrorCode.TOO_MANY_REQUESTS, ((SwitchboardException) e.getCause()).code());
                limited++;
            }
        }
        assertTrue(limited >= 5, "a burst over the budget is refused: " + limited);
        assertTrue(r.client.isOpen(), "a short burst costs errors, not the connection");
        for (int i = 0; i < 200; i++) {
            r.client.send(ClientFrame.newBuilder().setPing(Ping.getDefaultInstance()).build());
        }
        assertEquals(DisconnectCode.RATE_LIMITED.code(), r.client.closeFuture().get(10, TimeUnit.SECONDS));
    }

    @Test
    void browserOriginsOutsideTheAllowListAreRefused() throws Exception {
        EdgeServer node = fx.start(EdgeFixture.options().nodeId("origin").allowedOrigins(List.of("https://chat.example.com")).build());
        String token = fx.token("ann", "acme");
        assertTrue(EdgeFixture.rawUpgradeStatus(node, "/ws?token=" + token, "Origin: https://evil.example").contains("403"));
        assertTrue(EdgeFixture.rawUpgradeStatus(node, "/ws?token=" + token, "Origin: https://chat.example.com").contains("101"));
        assertTrue(EdgeFixture.rawUpgradeStatus(node, "/ws?token=" + token).contains("101"), "non-browser clients send no Origin");
    }

    @Test
    void expiredTokensEndSessionsUnlessRefreshed() throws Exception {
        EdgeServer node = fx.start(EdgeFixture.options().nodeId("exp").build());
        TokenIssuer issuer = new TokenIssuer(EdgeFixture.SECRET);
        Recorder shortLived = new Recorder();
        shortLived.client = fx.open(node, issuer.issue("ann", "acme", Duration.ofSeconds(2)), shortLived);
        shortLived.client.hello().join();
        Recorder refreshed = new Recorder();
        refreshed.client = fx.open(node, issuer.issue("bob", "acme", Duration.ofSeconds(2)), refreshed);
        refreshed.client.hello().join();

        var wrongUser = EdgeServerIT.failure(refreshed.client.request(ClientFrame.newBuilder()
                .setRefresh(Refresh.newBuilder().setToken(fx.token("eve", "acme")))));
        assertEquals(ErrorCode.PERMISSION_DENIED, wrongUser.code());
        ServerFrame ok = refreshed.client.request(ClientFrame.newBuilder()
                .setRefresh(Refresh.newBuilder().setToken(issuer.issue("bob", "acme", Duration.ofMinutes(5))))).get(5, TimeUnit.SECONDS);
        assertTrue(ok.getRefresh().getTokenExpiresAtMs() > System.currentTimeMillis() + 60_000);

        // Tokens carry a 5 s verification leeway; the session ends when exp itself passes.
        assertEquals(DisconnectCode.TOKEN_EXPIRED.code(), shortLived.client.closeFuture().get(15, TimeUnit.SECONDS));
        assertTrue(refreshed.client.isOpen(), "a refreshed session lives on");
    }

    @Test
    void tlsOnThePublicPort() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        EdgeServer node = EdgeServer.builder(EdgeFixture.options().nodeId("tls").build())
                .tokenVerifier(TokenVerifier.builder().hs256Secret(EdgeFixture.SECRET).build())
                .ssl(Tls.server(cert.certificate(), cert.privateKey())).start();
        try {
            Recorder r = new Recorder();
            WireConnection c = WireConnection.builder(URI.create("wss://127.0.0.1:" + node.port() + "/ws"), fx.token("ann", "acme"))
                    .resources(fx.clientResources).listener(r)
                    .sslContext(SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build())
                    .connect().get(10, TimeUnit.SECONDS);
            assertNotNull(c.hello().get(10, TimeUnit.SECONDS).getSessionId());
            c.subscribe("acme/secure").get(5, TimeUnit.SECONDS);
            c.publish("acme/secure", new byte[] {42}).get(5, TimeUnit.SECONDS);
            assertEquals(42, r.next().getPayload().byteAt(0));
            c.close();
        } finally {
            node.close();
            cert.delete();
        }
    }
}
