package dev.switchboard.edge;

import dev.switchboard.testing.LiveThreads;
import dev.switchboard.testing.NoBlockingOnEventLoops;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.internal.WireConnection;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.edge.EdgeFixture.Recorder;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.ConnectResult;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.Subscribe;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoBlockingOnEventLoops.class)
class EdgeServerIT {
    @AutoClose
    final EdgeFixture fx = new EdgeFixture();
    EdgeServer server;

    @BeforeEach
    void start() throws Exception {
        server = fx.start(EdgeFixture.options().nodeId("it-1").build());
    }

    @Test
    void rejectsMissingForgedAndExpiredTokensWith401BeforeTheUpgrade() throws Exception {
        String forged = new dev.switchboard.auth.TokenIssuer("another-secret-0123456789abcdef0123").issue("u1", "acme", Duration.ofMinutes(1));
        String expired = fx.tokens.issue("u1", "acme", Duration.ofMinutes(-10));
        assertTrue(EdgeFixture.rawUpgradeStatus(server, "/ws").contains("401"));
        assertTrue(EdgeFixture.rawUpgradeStatus(server, "/ws?token=" + forged).contains("401"));
        assertTrue(EdgeFixture.rawUpgradeStatus(server, "/ws", "Authorization: Bearer " + expired).contains("401"));
        assertTrue(EdgeFixture.rawUpgradeStatus(server, "/ws", "Authorization: Bearer " + fx.token("u1", "acme")).contains("101"));
        assertTrue(EdgeFixture.rawUpgradeStatus(server, "/nope").contains("404"));
    }

    @Test
    void acceptsTokenInHeaderOrQueryAndAnswersConnect() {
        Recorder viaHeader = fx.connect(server, "u1", "acme");
        WireConnection viaQuery = WireConnection.builder(EdgeFixture.wsUri(server), fx.token("u2", "acme"))
                .resources(fx.clientResources).tokenInQuery(true).connect().join();
        ConnectResult hello = viaQuery.hello().join();
        assertEquals("u2", hello.getUserId());
        assertEquals("acme", hello.getOrgId());
        assertEquals("it-1", hello.getNodeId());
        assertTrue(hello.getSessionId().startsWith("it-1-"));
        assertEquals(EdgeServerOptions.DEFAULT_HEARTBEAT_INTERVAL.toMillis(), hello.getHeartbeatIntervalMs());
        assertEquals(List.of("acme/#u2"), hello.getChannelsList());
        assertEquals(7L, viaHeader.client.ping(7).join());
        viaQuery.close();
    }

    @Test
    void commandsBeforeConnectAreRefused() {
        Recorder r = new Recorder();
        WireConnection c = fx.open(server, fx.token("u1", "acme"), r);
        SwitchboardException e = failure(c.subscribe("acme/general"));
        assertEquals(ErrorCode.NOT_CONNECTED, e.code());
        c.hello().join();
        assertEquals(ErrorCode.ALREADY_CONNECTED, failure(c.hello()).code());
    }

    @Test
    void commandsAfterConnectNeedNotWaitForItsReply() throws Exception {
        // Back to back, as two messages: both answered, the subscribe in effect.
        Recorder r1 = new Recorder();
        WireConnection c1 = fx.open(server, fx.token("u1", "acme"), r1);
        CompletableFuture<ConnectResult> hello = c1.hello();
        CompletableFuture<?> subscribed = c1.subscribe("acme/piped");
        subscribed.get(5, TimeUnit.SECONDS);
        assertEquals("u1", hello.get(5, TimeUnit.SECONDS).getUserId());
        // In one message right after the upgrade (docs/protocol.md, "Pipelined commands").
        Recorder r2 = new Recorder();
        WireConnection c2 = fx.open(server, fx.token("u2", "acme"), r2);
        c2.send(ClientFrame.newBuilder().setId(c2.nextId()).setConnect(dev.switchboard.wire.proto.Connect.getDefaultInstance()).build(),
                ClientFrame.newBuilder().setId(c2.nextId()).setSubscribe(Subscribe.newBuilder().setChannel("acme/piped")).build());
        await("the pipelined subscribe took effect").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> server.hub().localSubscribers("acme/piped") == 2);
        Recorder publisher = fx.connect(server, "p", "acme");
        publisher.client.publish("acme/piped", bytes("both")).join();
        assertEquals("both", r1.next().getPayload().toStringUtf8());
        assertEquals("both", r2.next().getPayload().toStringUtf8());
        c1.close();
        c2.close();
    }

    @Test
    void deliversToEverySubscriberOnceAndToNoOneElse() throws Exception {
        List<Recorder> subscribers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Recorder r = fx.connect(server, "u" + i, "acme");
            r.client.subscribe("acme/general").join();
            subscribers.add(r);
        }
        Recorder other = fx.connect(server, "x", "acme");
        other.client.subscribe("acme/random").join();
        Recorder publisher = fx.connect(server, "p", "acme");

        publisher.client.publish("acme/general", bytes("hello"), "m1").join();
        publisher.client.publish("acme/random", bytes("marker")).join();

        for (Recorder r : subscribers) {
            Publication p = r.next();
            assertEquals("acme/general", p.getChannel());
            assertEquals("hello", p.getPayload().toStringUtf8());
            assertEquals("p", p.getSenderId());
            assertEquals("m1", p.getClientMsgId());
            assertTrue(p.getTimestampMs() > 0);
        }
        assertEquals("marker", other.next().getPayload().toStringUtf8());
        Thread.sleep(200); // absence has no condition to wait for: a late delivery would show by now
        for (Recorder r : subscribers) {
            assertNull(r.publications.poll(), "delivered more than once");
        }
        assertNull(other.publications.poll());
        assertNull(publisher.publications.poll(), "the publisher is not subscribed");
    }

    @Test
    void refusesCrossOrganisationAndForeignPersonalChannels() {
        Recorder acme = fx.connect(server, "u1", "acme");
        assertEquals(ErrorCode.PERMISSION_DENIED, failure(acme.client.subscribe("globex/general")).code());
        assertEquals(ErrorCode.PERMISSION_DENIED, failure(acme.client.publish("globex/general", bytes("x"))).code());
        assertEquals(ErrorCode.PERMISSION_DENIED, failure(acme.client.subscribe("acme/#u2")).code());
        assertEquals(ErrorCode.PERMISSION_DENIED, failure(acme.client.publish("acme/#u1", bytes("x"))).code());
        assertEquals(ErrorCode.BAD_REQUEST, failure(acme.client.subscribe("no-org-prefix")).code());
        assertEquals(ErrorCode.UNKNOWN_CHANNEL, failure(acme.client.subscribe("acme/chat/12")).code());
        acme.client.subscribe("acme/general").join();
        assertEquals(ErrorCode.ALREADY_SUBSCRIBED, failure(acme.client.subscribe("acme/general")).code());
        acme.client.unsubscribe("acme/general").join();
        assertEquals(ErrorCode.NOT_SUBSCRIBED, failure(acme.client.unsubscribe("acme/general")).code());
    }

    @Test
    void thousandConnectionsEachReceiveHundredPublicationsInOrder() throws Exception {
        int n = 1000;
        List<Recorder> subscribers = new ArrayList<>(n);
        List<CompletableFuture<?>> subscribed = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Recorder r = new Recorder();
            r.client = fx.open(server, fx.token("u" + i, "acme"), r);
            subscribed.add(r.client.hello().thenCompose(h -> r.client.subscribe("acme/all")));
            subscribers.add(r);
        }
        CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertEquals(n, server.hub().localSubscribers("acme/all"));

        Recorder publisher = fx.connect(server, "pub", "acme");
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            acks.add(publisher.client.publish("acme/all", ByteBuffer.allocate(4).putInt(i).array()));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        for (Recorder r : subscribers) {
            for (int i = 0; i < 100; i++) {
                Publication p = r.publications.poll(30, TimeUnit.SECONDS);
                assertNotNull(p, "publication " + i + " missing");
                assertEquals(i, p.getPayload().asReadOnlyByteBuffer().getInt(), "out of order");
            }
        }
        Thread.sleep(100); // absence has no condition to wait for: a late delivery would show by now
        for (Recorder r : subscribers) {
            assertTrue(r.publications.isEmpty(), "duplicate delivery");
        }
        assertTrue(server.hub().deliveries() >= 100L * n);
    }

    /** Shedding is not forever: a subscriber that stays backlogged for the slow-consumer timeout is disconnected (4001). */
    @Test
    void aSubscriberBackloggedPastTheSlowConsumerTimeoutIsDisconnectedWhileOthersKeepReceiving() throws Exception {
        EdgeServer tight = fx.start(EdgeFixture.options().nodeId("tight")
                .writeBufferWaterMarks(16 * 1024, 32 * 1024).maxOutboundBytes(256 * 1024)
                .slowConsumerTimeout(Duration.ofSeconds(1)).closeGrace(Duration.ofSeconds(30)).build());
        Recorder slowRec = new Recorder();
        WireConnection slow = WireConnection.builder(EdgeFixture.wsUri(tight), fx.token("slow", "acme"))
                .resources(fx.clientResources).listener(slowRec).receiveBufferSize(4096).connect().join();
        slow.hello().join();
        slow.subscribe("acme/firehose").join();
        Recorder fast = fx.connect(tight, "fast", "acme");
        fast.client.subscribe("acme/firehose").join();
        slow.reading(false);

        Recorder publisher = fx.connect(tight, "pub", "acme");
        byte[] payload = new byte[16 * 1024];
        // More than the kernel's socket buffers take on loopback (~3 MiB) plus the soft mark.
        int count = 400;
        for (int i = 0; i < count; i++) {
            ByteBuffer.wrap(payload).putInt(i);
            publisher.client.publish("acme/firehose", payload).get(10, TimeUnit.SECONDS);
        }
        for (int i = 0; i < count; i++) {
            Publication p = fast.publications.poll(30, TimeUnit.SECONDS);
            assertNotNull(p, "the fast consumer missed publication " + i);
            assertEquals(i, p.getPayload().asReadOnlyByteBuffer().getInt());
        }
        await().atMost(30, TimeUnit.SECONDS).until(() -> tight.metrics().slowConsumerCount() >= 1);
        slow.reading(true);
        assertEquals(DisconnectCode.SLOW_CONSUMER.code(), slow.closeFuture().get(30, TimeUnit.SECONDS),
                "it reads within the close grace, so it learns why");
        assertTrue(fast.client.isOpen());
    }

    @Test
    void malformedAndOversizedInputGetProtocolErrorsAndOthersAreServed() throws Exception {
        Recorder bystander = fx.connect(server, "ok", "acme");
        bystander.client.subscribe("acme/general").join();

        Recorder garbage = fx.connect(server, "bad1", "acme");
        garbage.client.sendRaw(Unpooled.wrappedBuffer(new byte[] {5, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2}));
        assertEquals(DisconnectCode.PROTOCOL_ERROR.code(), garbage.client.closeFuture().get(10, TimeUnit.SECONDS));
        assertEquals(DisconnectCode.PROTOCOL_ERROR.code(), garbage.disconnects.poll(1, TimeUnit.SECONDS).getCode());

        Recorder big = fx.connect(server, "bad2", "acme");
        big.client.sendRaw(Unpooled.wrappedBuffer(new byte[EdgeServerOptions.DEFAULT_MAX_MESSAGE_BYTES + 1]));
        assertEquals(DisconnectCode.MESSAGE_TOO_LARGE.code(), big.client.closeFuture().get(10, TimeUnit.SECONDS));

        Recorder bigPayload = fx.connect(server, "bad3", "acme");
        SwitchboardException tooLarge = failure(bigPayload.client.publish("acme/general",
                new byte[EdgeServerOptions.DEFAULT_MAX_PAYLOAD_BYTES + 1]));
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, tooLarge.code());
        assertTrue(bigPayload.client.isOpen(), "a payload error does not cost the connection");

        SwitchboardException empty = failure(bigPayload.client.request(ClientFrame.newBuilder()));
        assertEquals(ErrorCode.BAD_REQUEST, empty.code());

        bigPayload.client.publish("acme/general", bytes("still here")).join();
        assertEquals("still here", bystander.next().getPayload().toStringUtf8());
    }

    @Test
    void batchedCommandsInOneMessageAreAllAnswered() throws Exception {
        Recorder r = fx.connect(server, "u1", "acme");
        CompletableFuture<?> a = r.client.request(ClientFrame.newBuilder().setSubscribe(Subscribe.newBuilder().setChannel("acme/a")));
        CompletableFuture<?> b = r.client.request(ClientFrame.newBuilder().setSubscribe(Subscribe.newBuilder().setChannel("acme/b")));
        a.get(5, TimeUnit.SECONDS);
        b.get(5, TimeUnit.SECONDS);
        int id1 = r.client.nextId();
        int id2 = r.client.nextId();
        r.client.send(ClientFrame.newBuilder().setId(id1).setPing(dev.switchboard.wire.proto.Ping.newBuilder().setNonce(1)).build(),
                ClientFrame.newBuilder().setId(id2).setUnsubscribe(dev.switchboard.wire.proto.Unsubscribe.newBuilder().setChannel("acme/a")).build());
        await("the batched unsubscribe took effect").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> server.hub().localSubscribers("acme/a") == 0);
        assertEquals(1, server.hub().localSubscribers("acme/b"));
    }

    @Test
    void idleAndUnconnectedSessionsAreClosedAndLiveOnesKeptByPings() throws Exception {
        EdgeServer fastBeat = fx.start(EdgeFixture.options().nodeId("beat")
                .heartbeatInterval(Duration.ofMillis(300)).idleTimeout(Duration.ofMillis(1500))
                .connectTimeout(Duration.ofMillis(1000)).build());
        Recorder alive = fx.connect(fastBeat, "alive", "acme");
        WireConnection silent = fx.open(fastBeat, fx.token("silent", "acme"), new Recorder());
        assertEquals(DisconnectCode.CONNECT_TIMEOUT.code(), silent.closeFuture().get(5, TimeUnit.SECONDS));

        // Netty's client answers pings even with reads paused, so the deaf client is a raw socket.
        try (RawWebSocket deaf = new RawWebSocket(fastBeat.port(), fx.token("deaf", "acme"))) {
            deaf.send(ClientFrame.newBuilder().setId(1).setConnect(dev.switchboard.wire.proto.Connect.getDefaultInstance()).build());
            await("the deaf client's session is up").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
                    .until(() -> fastBeat.hub().sessionCount() == 2);
            await("the client that never answers pings is gone").atMost(Duration.ofSeconds(6))
                    .pollInterval(Duration.ofMillis(20)).until(() -> fastBeat.hub().sessionCount() == 1);
            assertTrue(deaf.closedByServer());
        }
        Thread.sleep(1000); // time must pass: the live client outlasts idle timeouts by answering pings
        assertTrue(alive.client.isOpen(), "a client answering pings must stay past several idle timeouts");
    }

    /**
     * The sweep walks a loop in slices with I/O between them: a session in every slice, the first opened as the
     * last, gets its server pings (a walk that stopped after its first slice would ping only the newest sessions).
     */
    @Test
    void aStartThatCannotBindStopsTheLoopsItMade() throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            for (EdgeServerOptions o : List.of(
                    EdgeFixture.options().nodeId("busy-ws").port(busy.getLocalPort()).build(),
                    EdgeFixture.options().nodeId("busy-api").apiPort(busy.getLocalPort()).build())) {
                assertThrows(Exception.class, () -> fx.start(o), "port " + busy.getLocalPort() + " is taken");
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(Set.of(),
                        LiveThreads.named("edge-" + o.nodeId() + "-", "edge-api-" + o.nodeId() + "-"),
                        "threads of " + o.nodeId() + " left after its failed start"));
            }
        }
    }

    @Test
    void theSweepReachesEverySessionOfALoopOfSeveralSlices() throws Exception {
        EdgeServer oneLoop = fx.start(EdgeFixture.options().nodeId("slices").ioThreads(1)
                .heartbeatInterval(Duration.ofMillis(400)).build());
        int count = 3 * dev.switchboard.edge.session.Sweeper.SLICE + 1;
        List<RawWebSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                RawWebSocket s = new RawWebSocket(oneLoop.port(), fx.token("user-" + i, "acme"));
                sockets.add(s);
                s.send(ClientFrame.newBuilder().setId(1).setConnect(dev.switchboard.wire.proto.Connect.getDefaultInstance()).build());
            }
            await("every session connected").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> oneLoop.hub().sessionCount() == count);
            for (int i = 0; i < count; i++) {
                assertTrue(sockets.get(i).awaitPing(), "session " + i + " of " + count + " got no server ping");
            }
        } finally {
            for (RawWebSocket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void gracefulShutdownTellsClientsToReconnect() throws Exception {
        EdgeServer doomed = fx.start(EdgeFixture.options().nodeId("doomed").shutdownTimeout(Duration.ofSeconds(2)).build());
        Recorder a = fx.connect(doomed, "a", "acme");
        Recorder b = fx.connect(doomed, "b", "acme");
        doomed.close();
        for (Recorder r : List.of(a, b)) {
            var notice = r.disconnects.poll(5, TimeUnit.SECONDS);
            assertNotNull(notice);
            assertEquals(DisconnectCode.SHUTDOWN.code(), notice.getCode());
            assertTrue(notice.getReconnect());
            assertEquals(DisconnectCode.SHUTDOWN.code(), r.client.closeFuture().get(5, TimeUnit.SECONDS));
        }
        assertThrows(Exception.class, () -> EdgeFixture.rawUpgradeStatus(doomed, "/ws"));
    }

    static SwitchboardException failure(CompletableFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, () -> f.orTimeout(10, TimeUnit.SECONDS).join());
        assertTrue(e.getCause() instanceof SwitchboardException, "expected an error reply, got " + e.getCause());
        return (SwitchboardException) e.getCause();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
