package dev.switchboard.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.MayHaveMissed;
import dev.switchboard.wire.proto.PresenceChange;
import dev.switchboard.wire.proto.PresenceChanges;
import dev.switchboard.wire.proto.ReadReceipt;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.StreamPosition;
import dev.switchboard.wire.proto.Subscribed;
import dev.switchboard.wire.proto.TypingEvent;
import dev.switchboard.wire.proto.Unsubscribed;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared client scenarios (docs/clients.md, "Scenarios") against a fake edge
 * over real sockets. The TypeScript SDK's test/unit/scenarios.test.ts runs the same list.
 */
class ClientScenariosTest {
    static final String CH = "acme/chat/7";
    final FakeEdge edge = newEdge();
    final ClientResources resources = new ClientResources(1);
    final List<SwitchboardClient> clients = new ArrayList<>();

    static FakeEdge newEdge() {
        try {
            return new FakeEdge();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        clients.forEach(SwitchboardClient::close);
        resources.close();
        edge.close();
    }

    /** A client and what it heard. */
    final class Heard implements ClientListener {
        final List<Publication> got = new CopyOnWriteArrayList<>();
        final List<ChannelEvent> events = new CopyOnWriteArrayList<>();
        final List<Disconnected> disconnects = new CopyOnWriteArrayList<>();
        final List<ConnectionState> states = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        SwitchboardClient client;

        @Override
        public void onPublication(Publication p) {
            threads.add(Thread.currentThread());
            got.add(p);
        }

        @Override
        public void onChannelEvent(ChannelEvent e) {
            events.add(e);
        }

        @Override
        public void onDisconnected(Disconnected d) {
            disconnects.add(d);
        }

        @Override
        public void onStateChanged(ConnectionState state, ConnectionState previous) {
            states.add(state);
        }

        List<Long> seqs() {
            return got.stream().map(Publication::seq).toList();
        }
    }

    Heard client(Endpoint endpoint, TokenProvider tokens, SwitchboardClientOptions.Builder options) {
        Heard h = new Heard();
        h.client = SwitchboardClient.builder(endpoint, tokens, resources).listener(h)
                .options(options.random(() -> 0).build()).build();
        clients.add(h.client);
        return h;
    }

    Heard client() {
        return client(Endpoint.fixed(edge.url()), TokenProvider.of("t0"), fast());
    }

    static SwitchboardClientOptions.Builder fast() {
        return SwitchboardClientOptions.builder().backoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .publishRetries(5, Duration.ofMillis(1)).requestTimeout(Duration.ofSeconds(5));
    }

    static <T> T join(CompletableFuture<T> f) {
        return f.orTimeout(30, TimeUnit.SECONDS).join(); // generous: a loaded CI machine is slow to open the first connection
    }

    static void until(java.util.concurrent.Callable<Boolean> cond) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(cond);
    }

    @Test
    void s01_connectsAndReportsTheSessionAndTheServersChannels() {
        edge.memberOf.add(CH);
        Heard h = client();
        Session s = join(h.client.connect());
        assertEquals("alice", s.userId());
        assertEquals(1, s.connection());
        assertTrue(s.channels().contains(CH));
        assertEquals(List.of(ConnectionState.CONNECTING, ConnectionState.CONNECTED), h.states);
        var hello = edge.current().commands(ClientFrame.CommandCase.CONNECT).get(0).getConnect();
        assertEquals("switchboard-java", hello.getClientName());
        assertEquals(SwitchboardClient.VERSION, hello.getClientVersion());
        assertEquals(java.util.Map.of(CH, 0L), h.client.positions());
    }

    @Test
    void s01_triesTheNextUrlWhenOneCannotBeReached() {
        URI dead = URI.create("ws://127.0.0.1:1/ws");
        Heard h = client(token -> CompletableFuture.completedFuture(List.of(dead, edge.url())), TokenProvider.of("t"), fast());
        assertEquals(edge.url(), join(h.client.connect()).url());
    }

    @Test
    void s02_publishesWithAClientMsgIdAndGetsItsOwnMessageBackOnce() throws Exception {
        edge.memberOf.add(CH);
        Heard h = client();
        join(h.client.connect());
        PublishResult r = join(h.client.sendMessage(CH, "hello", "m-1"));
        assertEquals(1, r.seq());
        assertEquals("m-1", r.clientMsgId());
        until(() -> h.got.size() == 1);
        assertEquals("m-1", h.got.get(0).clientMsgId());
        assertTrue(h.got.get(0).text().contains("hello"));
        assertEquals(null, new Publication("c", 0, "", 0, new byte[] {1, 2}, 0, "").chatText());
        assertEquals("hi \"there\"", new Publication("c", 1, "", 0,
                "{\"id\":1,\"text\":\"hi \\\"there\\\"\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, "").chatText());
        assertTrue(h.threads.get(0).isVirtual(), "listener calls run on the callback executor (virtual threads), never on the event loop");
        String generated = join(h.client.publish(CH, new byte[] {1}, null)).clientMsgId();
        assertFalse(generated.isEmpty());
    }

    @Test
    void s03_fillsASequenceGapFromHistoryAndDeliversInOrderOnce() {
        edge.memberOf.add(CH);
        Heard h = client();
        join(h.client.connect());
        edge.commit(CH, "one");
        edge.dropLive.addAll(List.of(2L, 3L));
        edge.commit(CH, "two");
        edge.commit(CH, "three");
        edge.commit(CH, "four");
        until(() -> h.got.size() == 4);
        assertEquals(List.of(1L, 2L, 3L, 4L), h.seqs());
        assertFalse(edge.current().commands(ClientFrame.CommandCase.HISTORY).isEmpty());
    }

    @Test
    void s04_dropsAPublicationItAlreadyDelivered() {
        edge.memberOf.add(CH);
        Heard h = client();
        join(h.client.connect());
        var p = edge.commit(CH, "one");
        edge.fanOut(p);
        edge.fanOut(p);
        edge.commit(CH, "two");
        until(() -> h.got.size() == 2);
        assertEquals(List.of(1L, 2L), h.seqs());
    }

    @Test
    void s05_mayHaveMissedReadsHistoryWithoutTheAppsHelp() {
        edge.memberOf.add(CH);
        Heard h = client();
        join(h.client.connect());
        edge.commit(CH, "one");
        edge.dropLive.addAll(List.of(2L, 3L));
        edge.commit(CH, "lost-2");
        edge.commit(CH, "lost-3");
        until(() -> h.got.size() == 1);
        edge.current().deliver(ServerFrame.newBuilder().setMayHaveMissed(MayHaveMissed.newBuilder().setChannel(CH).setReason("broker")).build());
        until(() -> h.got.size() == 3);
        assertEquals(List.of(1L, 2L, 3L), h.seqs());
    }

    @Test
    void s06_reconnectsAfterAReconnectCodeHonoursTheAdviceAndResumesFromItsPositions() {
        edge.memberOf.add(CH);
        Heard h = client();
        join(h.client.connect());
        edge.commit(CH, "one");
        until(() -> h.got.size() == 1);
        edge.current().drop(4000, true, 40);
        until(() -> !h.disconnects.isEmpty());
        edge.commit(CH, "while away");
        until(() -> h.got.size() == 2 && h.client.session().connection() == 2);
        Disconnected d = h.disconnects.get(0);
        assertEquals(4000, d.code());
        assertTrue(d.reconnect());
        assertTrue(d.delayMs() >= 40, "the server's advice is a floor: " + d.delayMs());
        until(() -> !edge.current().commands(ClientFrame.CommandCase.CONNECT).isEmpty());
        assertEquals(List.of(StreamPosition.newBuilder().setChannel(CH).setSeq(1).build()),
                edge.current().commands(ClientFrame.CommandCase.CONNECT).get(0).getConnect().getPositionsList());
        assertEquals(List.of(1L, 2L), h.seqs());
    }

    @Test
    void s06_reconnectsAfterTheSocketDropsWithoutACloseCode() {
        Heard h = client();
        join(h.client.connect());
        edge.current().kill();
        until(() -> h.client.state() == ConnectionState.CONNECTED && h.client.session().connection() == 2);
    }

    @Test
    void s06_retriesAConnectTheServerRefusesForNowAndCompletesTheFirstConnect() {
        edge.refuseConnects.set(3);
        Heard h = client();
        Session s = join(h.client.connect());
        assertEquals(1, s.connection());
        assertEquals(3, h.disconnects.size());
        assertTrue(h.disconnects.stream().allMatch(d -> d.code() == 4005 && d.reconnect() && d.delayMs() >= 50));
    }

    @Test
    void s07_doesNotReconnectAfterATerminalCodeAndFailsWhatWaits() {
        Heard h = client();
        join(h.client.connect());
        edge.current().drop(4503, false, 0);
        until(() -> h.client.state() == ConnectionState.CLOSED && !h.disconnects.isEmpty());
        assertFalse(h.disconnects.get(0).reconnect());
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> join(h.client.publish(CH, new byte[] {1}, "x")));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(0, edge.sessions.size());
    }

    @Test
    void s07_doesNotReconnectWhenTheDisconnectSaysSoEvenWithA40xxCode() throws Exception {
        Heard h = client();
        join(h.client.connect());
        edge.current().drop(4006, false, 0);
        until(() -> h.client.state() == ConnectionState.CLOSED);
        Thread.sleep(50); // nothing may come back: there is no condition to wait for
        assertEquals(0, edge.sessions.size());
    }

    @Test
    void s08_queuesPublishesMadeWhileDisconnectedAndSendsEachOnceInOrder() {
        edge.memberOf.add(CH);
        Heard h = client(Endpoint.fixed(edge.url()), TokenProvider.of("t"),
                fast().backoff(Duration.ofMillis(300), Duration.ofMillis(300)));
        join(h.client.connect());
        edge.current().drop(4000, true, 300);
        until(() -> h.client.state() == ConnectionState.DISCONNECTED);
        List<CompletableFuture<PublishResult>> sends = List.of(h.client.sendMessage(CH, "a"), h.client.sendMessage(CH, "b"),
                h.client.sendMessage(CH, "c"));
        assertEquals(List.of(1L, 2L, 3L), sends.stream().map(f -> join(f).seq()).toList());
        until(() -> h.got.size() == 3);
        assertEquals(3, edge.log(CH).size());
    }

    @Test
    void s09_sendsAnInFlightChatPublishAgainWithTheSameIdStoredOnceDeliveredOnce() throws Exception {
        edge.memberOf.add(CH);
        Heard h = client();
        join(h.client.connect());
        edge.swallowPublishReplies = true;
        CompletableFuture<PublishResult> sent = h.client.sendMessage(CH, "once", "k-1");
        until(() -> edge.log(CH).size() == 1);
        edge.swallowPublishReplies = false;
        edge.current().drop(4006, true, 0);
        assertEquals(1, join(sent).seq());
        until(() -> h.got.size() == 1);
        Thread.sleep(30); // a second delivery would show by now: there is no condition to wait for
        assertEquals(1, h.got.size());
        assertEquals(1, edge.log(CH).size());
    }

    @Test
    void s10_failsAnInFlightEphemeralPublishInsteadOfRiskingASecondDelivery() {
        Heard h = client();
        join(h.client.connect());
        edge.swallowPublishReplies = true;
        edge.publishErrors.clear();
        CompletableFuture<PublishResult> sent = h.client.publish("acme/room", new byte[] {1}, "e-1");
        until(() -> !edge.current().commands(ClientFrame.CommandCase.PUBLISH).isEmpty());
        edge.current().kill();
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, () -> join(sent));
        assertInstanceOf(ConnectionClosedException.class, e.getCause());
    }

    @Test
    void s10_retriesATemporaryErrorAndGivesUpOnAPermanentOne() {
        edge.memberOf.add(CH);
        Heard h = client();
        join(h.client.connect());
        edge.publishErrors.add(new int[] {115, 1});
        assertEquals(1, join(h.client.sendMessage(CH, "after retry")).seq());
        edge.publishErrors.add(new int[] {103, 0});
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> join(h.client.sendMessage(CH, "denied")));
        assertEquals(dev.switchboard.wire.ErrorCode.PERMISSION_DENIED, ((SwitchboardException) e.getCause()).code());
    }

    @Test
    void s11_readsWhatTheServerCouldNotReplayFromHistory() {
        edge.memberOf.add(CH);
        edge.maxReplay = 2;
        Heard h = client(Endpoint.fixed(edge.url()), TokenProvider.of("t"),
                fast().historyPageSize(3).backoff(Duration.ofMillis(300), Duration.ofMillis(300)));
        join(h.client.connect());
        edge.commit(CH, "m1");
        until(() -> h.got.size() == 1);
        edge.current().drop(4000, true, 300);
        until(() -> h.client.state() == ConnectionState.DISCONNECTED);
        for (int i = 2; i <= 9; i++) {
            edge.commit(CH, "m" + i);
        }
        until(() -> h.got.size() == 9);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), h.seqs());
        assertTrue(edge.current().commands(ClientFrame.CommandCase.HISTORY).size() >= 3);
    }

    @Test
    void s12_tracksAChannelItIsAddedToAndForgetsOneItIsRemovedFrom() {
        Heard h = client();
        join(h.client.connect());
        edge.commit("acme/chat/9", "before I joined");
        edge.current().subscribed.add("acme/chat/9");
        edge.current().deliver(ServerFrame.newBuilder().setSubscribed(Subscribed.newBuilder().setChannel("acme/chat/9").setLastSeq(1)).build());
        edge.commit("acme/chat/9", "after");
        until(() -> h.got.size() == 1);
        assertEquals(2, h.got.get(0).seq());
        edge.current().deliver(ServerFrame.newBuilder().setUnsubscribed(Unsubscribed.newBuilder().setChannel("acme/chat/9").setCode(103)).build());
        until(() -> h.events.size() == 2);
        assertEquals(List.of(new ChannelEvent.Subscribed("acme/chat/9", 1), new ChannelEvent.Unsubscribed("acme/chat/9", 103)), h.events);
        assertEquals(java.util.Map.of(), h.client.positions());
    }

    @Test
    void s12_subscribesAgainAfterAReconnectToWhatTheAppSubscribed() {
        Heard h = client();
        join(h.client.connect());
        join(h.client.subscribe("acme/room"));
        join(h.client.publish("acme/room", new byte[] {1}, null));
        until(() -> h.got.size() == 1);
        edge.current().kill();
        until(() -> h.client.session().connection() == 2 && edge.current() != null
                && edge.current().subscribed.contains("acme/room"));
    }

    @Test
    void s13_asksTheProviderForANewTokenBeforeExpiryAndSendsRefresh() {
        edge.tokenExpiresAtMs = System.currentTimeMillis() + 100;
        AtomicInteger n = new AtomicInteger();
        Heard h = client(Endpoint.fixed(edge.url()), () -> CompletableFuture.completedFuture("t" + n.getAndIncrement()), fast());
        join(h.client.connect());
        until(() -> edge.current().commands(ClientFrame.CommandCase.REFRESH).size() == 1);
        assertEquals("t1", edge.current().commands(ClientFrame.CommandCase.REFRESH).get(0).getRefresh().getToken());
        until(() -> h.client.session().tokenExpiresAtMs() > System.currentTimeMillis() + 1_000_000);
    }

    @Test
    void s14_asksTheEndpointOnEveryConnectAndFallsBackInItsOrder() {
        List<String> asked = new CopyOnWriteArrayList<>();
        URI dead = URI.create("ws://127.0.0.1:1/ws");
        AtomicInteger n = new AtomicInteger();
        Heard h = client(token -> {
            asked.add(token);
            return CompletableFuture.completedFuture(List.of(dead, edge.url()));
        }, () -> CompletableFuture.completedFuture("t" + n.getAndIncrement()), fast());
        assertEquals(edge.url(), join(h.client.connect()).url());
        edge.current().drop(4004, true, 0);
        until(() -> h.client.session().connection() == 2);
        assertEquals(List.of("t0", "t1"), asked);
    }

    @Test
    void s15_pagesHistoryNewestFirstAndOldestFirst() {
        edge.memberOf.add(CH);
        for (int i = 1; i <= 7; i++) {
            edge.commit(CH, "m" + i);
        }
        Heard h = client();
        join(h.client.connect());
        List<Long> all = new ArrayList<>();
        HistoryPager pager = h.client.history(CH, false, 0, 3);
        while (pager.hasNext()) {
            join(pager.next()).forEach(p -> all.add(p.seq()));
        }
        assertEquals(List.of(7L, 6L, 5L, 4L, 3L, 2L, 1L), all);
        List<Long> forward = new ArrayList<>();
        HistoryPager f = h.client.history(CH, true, 4, 2);
        while (f.hasNext()) {
            join(f.next()).forEach(p -> forward.add(p.seq()));
        }
        assertEquals(List.of(5L, 6L, 7L), forward);
    }

    @Test
    void s16_turnsPushesIntoTypedEvents() {
        edge.memberOf.add(CH);
        Heard h = client();
        join(h.client.connect());
        edge.current().deliver(
                ServerFrame.newBuilder().setPresenceChanges(PresenceChanges.newBuilder().setChannel(CH)
                        .addChanges(PresenceChange.newBuilder().setUserId("bob").setOnline(true))).build(),
                ServerFrame.newBuilder().setTypingEvent(TypingEvent.newBuilder().setChannel(CH).setUserId("bob")).build(),
                ServerFrame.newBuilder().setReadReceipt(ReadReceipt.newBuilder().setChannel(CH).setUserId("bob").setSeq(4)).build());
        until(() -> h.events.size() == 3);
        assertEquals(List.of(new ChannelEvent.Presence(CH, List.of(new ChannelEvent.Presence.Change("bob", true))),
                new ChannelEvent.Typing(CH, "bob"), new ChannelEvent.ReadReceipt(CH, "bob", 4)), h.events);
        assertEquals(List.of("alice", "bob"), join(h.client.presence(CH)));
        assertEquals(4L, join(h.client.markRead(CH, 4)));
        h.client.typing(CH);
        until(() -> !edge.current().commands(ClientFrame.CommandCase.TYPING).isEmpty());
        assertEquals(0, edge.current().commands(ClientFrame.CommandCase.TYPING).get(0).getId());
    }

    @Test
    void aListenerMayCallTheClientEvenCloseIt() {
        edge.memberOf.add(CH);
        List<Object> seen = new CopyOnWriteArrayList<>();
        SwitchboardClient[] self = new SwitchboardClient[1];
        self[0] = SwitchboardClient.builder(Endpoint.fixed(edge.url()), TokenProvider.of("t"), resources)
                .listener(new ClientListener() {
                    @Override
                    public void onPublication(Publication p) {
                        seen.add(self[0].positions().get(CH));
                        self[0].close();
                        seen.add(self[0].state());
                    }
                }).options(fast().build()).build();
        clients.add(self[0]);
        join(self[0].connect());
        edge.commit(CH, "one");
        until(() -> seen.size() == 2);
        assertEquals(List.of(1L, ConnectionState.CLOSED), seen);
    }

    @Test
    void s16_keepsGoingWhenAListenerThrows() {
        edge.memberOf.add(CH);
        List<Publication> got = new CopyOnWriteArrayList<>();
        SwitchboardClient c = SwitchboardClient.builder(Endpoint.fixed(edge.url()), TokenProvider.of("t"), resources)
                .listener(new ClientListener() {
                    @Override
                    public void onPublication(Publication p) {
                        got.add(p);
                        throw new IllegalStateException("app bug");
                    }
                }).options(fast().build()).build();
        clients.add(c);
        join(c.connect());
        edge.commit(CH, "one");
        edge.commit(CH, "two");
        until(() -> got.size() == 2);
        assertNotEquals(ConnectionState.CLOSED, c.state());
    }
}
