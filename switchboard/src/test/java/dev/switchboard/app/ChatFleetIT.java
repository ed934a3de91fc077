package dev.switchboard.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.app.Fleet.Recorder;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.testing.NoBlockingOnEventLoops;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.ConnectResult;
import dev.switchboard.wire.proto.HistoryResult;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.PublishResult;
import dev.switchboard.wire.proto.ServerFrame;
import dev.switchboard.wire.proto.Typing;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The chat system end to end: message-service on PostgreSQL, two edge nodes on Redis, WebSocket and REST clients. */
@ExtendWith(NoBlockingOnEventLoops.class)
class ChatFleetIT {
    static Fleet fleet;

    @BeforeAll
    static void start() throws Exception {
        fleet = new Fleet(2);
        for (String u : List.of("alice", "bob", "carol", "erin")) {
            fleet.createUser("acme", u);
        }
        fleet.createUser("globex", "dave");
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void dmOverRestAndWebSocketReachesBothUsersOnceInOrderAndPagesBack() throws Exception {
        Recorder alice = fleet.connect(0, "alice", "acme");
        Recorder bob = fleet.connect(1, "bob", "acme");
        String aliceToken = fleet.token("alice", "acme");
        Fleet.Rest dm = fleet.rest("POST", "/v1/dms", aliceToken, "{\"user_id\":\"bob\"}");
        assertEquals(201, dm.status(), dm.toString());
        long id = dm.body().path("channel").path("id").asLong(dm.body().path("id").asLong());
        String channel = "acme/chat/" + id;
        Fleet.Rest again = fleet.rest("POST", "/v1/dms", fleet.token("bob", "acme"), "{\"user_id\":\"alice\"}");
        assertEquals(200, again.status(), "the DM of a pair is one channel, in either order");
        for (Recorder r : List.of(alice, bob)) {
            ServerFrame joined = r.nextPush(ServerFrame.BodyCase.SUBSCRIBED);
            assertNotNull(joined, "live sessions are subscribed to a new DM");
            assertEquals(channel, joined.getSubscribed().getChannel());
        }

        for (int i = 0; i < 120; i++) {
            if (i % 2 == 0) {
                Fleet.Rest sent = fleet.rest("POST", "/v1/channels/" + id + "/messages", aliceToken,
                        "{\"text\":\"rest " + i + "\",\"client_msg_id\":\"m-" + i + "\"}");
                assertEquals(201, sent.status(), sent.toString());
            } else {
                PublishResult ack = bob.client.publish(channel, ("{\"text\":\"ws " + i + "\"}").getBytes(StandardCharsets.UTF_8), "m-" + i)
                        .get(10, TimeUnit.SECONDS);
                assertEquals(i + 1, ack.getSeq(), "the ack carries the committed sequence");
            }
        }
        for (Recorder r : List.of(alice, bob)) {
            for (int seq = 1; seq <= 120; seq++) {
                Publication p = r.next();
                assertNotNull(p, "missing seq " + seq);
                assertEquals(seq, p.getSeq(), "in sequence order");
                assertEquals(channel, p.getChannel());
                assertEquals("m-" + (seq - 1), p.getClientMsgId());
            }
        }

        Fleet.Rest retry = fleet.rest("POST", "/v1/channels/" + id + "/messages", aliceToken, "{\"text\":\"rest 0\",\"client_msg_id\":\"m-0\"}");
        assertEquals(200, retry.status(), "a retried send returns the stored message");
        assertEquals(1, retry.body().path("seq").asLong());
        PublishResult wsRetry = bob.client.publish(channel, "{\"text\":\"ws 1\"}".getBytes(StandardCharsets.UTF_8), "m-1").get(10, TimeUnit.SECONDS);
        assertEquals(2, wsRetry.getSeq());
        // Absence: nothing may arrive for 300 ms (a late delivery would show by then).
        await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(2300)).until(() -> alice.publications.isEmpty() && bob.publications.isEmpty());
        assertNull(alice.publications.poll(), "a retry is not delivered again");
        assertNull(bob.publications.poll(), "a retry is not delivered again");

        List<Long> paged = new ArrayList<>();
        String cursor = "";
        do {
            Fleet.Rest page = fleet.rest("GET", "/v1/channels/" + id + "/messages?limit=50" + cursor, aliceToken, null);
            assertEquals(200, page.status());
            for (JsonNode m : page.body().path("messages")) {
                paged.add(m.path("seq").asLong());
            }
            JsonNode next = page.body().path("next_cursor");
            cursor = next.isNull() || next.isMissingNode() ? null : "&before=" + next.asLong();
        } while (cursor != null);
        List<Long> expected = new ArrayList<>();
        for (long s = 120; s >= 1; s--) {
            expected.add(s);
        }
        assertEquals(expected, paged, "paging back returns every message once, newest first");

        HistoryResult newest = bob.client.historyBefore(channel, 0, 50).get(10, TimeUnit.SECONDS);
        assertEquals(50, newest.getPublicationsCount());
        assertEquals(120, newest.getPublications(0).getSeq());
        HistoryResult gap = bob.client.historyAfter(channel, 100, 10).get(10, TimeUnit.SECONDS);
        assertEquals(101, gap.getPublications(0).getSeq(), "a client can fill a gap it saw in live traffic");
        assertEquals(10, gap.getPublicationsCount());
    }

    @Test
    void readCheckpointsMoveForwardOnlyUpdateUnreadCountsAndReachEveryDevice() throws Exception {
        String aliceToken = fleet.token("alice", "acme");
        Fleet.Rest group = fleet.rest("POST", "/v1/channels", aliceToken, "{\"name\":\"reads\",\"type\":\"GROUP\",\"members\":[\"bob\"]}");
        assertEquals(201, group.status(), group.toString());
        long id = group.body().path("channel").path("id").asLong(group.body().path("id").asLong());
        String channel = "acme/chat/" + id;
        for (int i = 0; i < 10; i++) {
            fleet.rest("POST", "/v1/channels/" + id + "/messages", aliceToken, "{\"text\":\"t" + i + "\"}");
        }
        Recorder alice = fleet.connect(0, "alice", "acme");
        Recorder bobPhone = fleet.connect(0, "bob", "acme");
        Recorder bobLaptop = fleet.connect(1, "bob", "acme");

        assertEquals(7L, bobPhone.client.markRead(channel, 7).get(10, TimeUnit.SECONDS));
        for (Recorder r : List.of(alice, bobPhone, bobLaptop)) {
            ServerFrame receipt = r.nextPush(ServerFrame.BodyCase.READ_RECEIPT);
            assertNotNull(receipt, "read receipt must reach every member and the reader's other devices");
            assertEquals("bob", receipt.getReadReceipt().getUserId());
            assertEquals(7, receipt.getReadReceipt().getSeq());
        }
        assertEquals(7L, bobLaptop.client.markRead(channel, 3).get(10, TimeUnit.SECONDS), "never backwards");
        Fleet.Rest mine = fleet.rest("GET", "/v1/me/channels", fleet.token("bob", "acme"), null);
        JsonNode reads = null;
        for (JsonNode c : mine.body().path("groups")) {
            if (c.path("id").asLong() == id) {
                reads = c;
            }
        }
        assertNotNull(reads);
        assertEquals(3, reads.path("unread_count").asLong());
        assertEquals(10, reads.path("last_seq").asLong());
    }

    @Test
    void nonMembersAndOtherOrganisationsAreRefusedOnEveryPath() throws Exception {
        String aliceToken = fleet.token("alice", "acme");
        Fleet.Rest group = fleet.rest("POST", "/v1/channels", aliceToken, "{\"name\":\"private\",\"type\":\"GROUP\",\"members\":[\"bob\"]}");
        long id = group.body().path("channel").path("id").asLong(group.body().path("id").asLong());
        String channel = "acme/chat/" + id;

        String carolToken = fleet.token("carol", "acme");
        assertEquals(403, fleet.rest("GET", "/v1/channels/" + id + "/messages", carolToken, null).status());
        assertEquals(403, fleet.rest("POST", "/v1/channels/" + id + "/messages", carolToken, "{\"text\":\"x\"}").status());
        Recorder carol = fleet.connect(1, "carol", "acme");
        assertEquals(ErrorCode.PERMISSION_DENIED, failure(carol.client.subscribe(channel)).code());
        assertEquals(ErrorCode.PERMISSION_DENIED, failure(carol.client.publish(channel, "{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8))).code());
        assertEquals(ErrorCode.PERMISSION_DENIED, failure(carol.client.historyBefore(channel, 0, 10)).code());

        String daveToken = fleet.token("dave", "globex");
        assertEquals(404, fleet.rest("GET", "/v1/channels/" + id, daveToken, null).status());
        assertEquals(404, fleet.rest("GET", "/v1/channels/" + id + "/messages", daveToken, null).status());
        Recorder dave = fleet.connect(0, "dave", "globex");
        assertEquals(ErrorCode.PERMISSION_DENIED, failure(dave.client.subscribe(channel)).code(), "the organisation wall");
        assertEquals(ErrorCode.NOT_FOUND, failure(dave.client.subscribe("globex/chat/" + id)).code(), "another org's channel does not exist for dave");
        assertEquals(ErrorCode.PERMISSION_DENIED, failure(dave.client.historyBefore(channel, 0, 10)).code(), "no history across the wall");
        assertEquals(ErrorCode.NOT_FOUND, failure(dave.client.historyBefore("globex/chat/" + id, 0, 10)).code());
        assertEquals(ErrorCode.PERMISSION_DENIED, failure(dave.client.presence(channel)).code(), "no presence across the wall");
        assertEquals(ErrorCode.NOT_FOUND, failure(dave.client.presence("globex/chat/" + id)).code());
        assertEquals(ErrorCode.PERMISSION_DENIED, failure(dave.client.markRead(channel, 1)).code());
        assertEquals(ErrorCode.PERMISSION_DENIED, failure(dave.client.publish(channel, "{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8))).code());
        assertEquals(ErrorCode.PERMISSION_DENIED, failure(carol.client.presence(channel)).code(), "members only");
        // Absence: nothing may arrive for 200 ms (a late delivery would show by then).
        await().during(Duration.ofMillis(200)).atMost(Duration.ofMillis(2200)).until(() -> carol.publications.isEmpty() && dave.publications.isEmpty());
        assertNull(carol.publications.poll());
        assertNull(dave.publications.poll());
    }

    @Test
    void aClientCutOffWhileMessagesFlowRecoversExactlyWhatItMissedOnAnotherNode() throws Exception {
        String aliceToken = fleet.token("alice", "acme");
        Fleet.Rest group = fleet.rest("POST", "/v1/channels", aliceToken, "{\"name\":\"flow\",\"type\":\"GROUP\",\"members\":[\"erin\"]}");
        long id = group.body().path("channel").path("id").asLong(group.body().path("id").asLong());
        String channel = "acme/chat/" + id;
        Recorder first = fleet.connect(0, "erin", "acme");
        Recorder sender = fleet.connect(1, "alice", "acme");

        int total = 500;
        AtomicReference<Throwable> sendFailure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                for (int i = 1; i <= total; i++) {
                    sender.client.publish(channel, ("{\"text\":\"n" + i + "\"}").getBytes(StandardCharsets.UTF_8), "f-" + i)
                            .get(10, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                sendFailure.set(e);
            }
        });
        producer.start();

        List<Long> seen = new ArrayList<>();
        while (seen.size() < 150) {
            Publication p = first.next();
            assertNotNull(p);
            seen.add(p.getSeq());
        }
        first.client.channel().close().sync();
        for (Publication p = first.publications.poll(); p != null; p = first.publications.poll()) {
            seen.add(p.getSeq());
        }
        long last = seen.get(seen.size() - 1);

        Recorder second = fleet.open(1, "erin", "acme");
        ConnectResult hello = second.client.hello(Map.of(channel, last)).get(20, TimeUnit.SECONDS);
        assertEquals(1, hello.getRecoveredCount());
        assertTrue(hello.getRecovered(0).getRecovered(), "recovered without reloading");
        while (seen.size() < total) {
            Publication p = second.next();
            assertNotNull(p, "stalled after " + seen.size());
            seen.add(p.getSeq());
        }
        producer.join(60_000);
        assertNull(sendFailure.get());
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= total; s++) {
            expected.add(s);
        }
        assertEquals(expected, seen, "every message once, in order, across the reconnect");
        // Absence: nothing may arrive for 300 ms (a late delivery would show by then).
        await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(2300)).until(() -> second.publications.isEmpty());
        assertNull(second.publications.poll(), "nothing twice");
    }

    @Test
    void typingReachesTheOtherMembersAndIsRateLimited() throws Exception {
        String aliceToken = fleet.token("alice", "acme");
        Fleet.Rest group = fleet.rest("POST", "/v1/channels", aliceToken, "{\"name\":\"typing\",\"type\":\"GROUP\",\"members\":[\"bob\"]}");
        long id = group.body().path("channel").path("id").asLong(group.body().path("id").asLong());
        String channel = "acme/chat/" + id;
        Recorder alice = fleet.connect(0, "alice", "acme");
        Recorder bob = fleet.connect(1, "bob", "acme");
        alice.client.request(ClientFrame.newBuilder().setTyping(Typing.newBuilder().setChannel(channel))).get(10, TimeUnit.SECONDS);
        ServerFrame typing = bob.nextPush(ServerFrame.BodyCase.TYPING_EVENT);
        assertNotNull(typing);
        assertEquals("alice", typing.getTypingEvent().getUserId());
        assertEquals(ErrorCode.TOO_MANY_REQUESTS, failure(alice.client.request(
                ClientFrame.newBuilder().setTyping(Typing.newBuilder().setChannel(channel)))).code());
        Set<String> seen = new HashSet<>();
        for (ServerFrame f = bob.pushes.poll(300, TimeUnit.MILLISECONDS); f != null; f = bob.pushes.poll(100, TimeUnit.MILLISECONDS)) {
            seen.add(f.getBodyCase().name());
        }
        assertTrue(!seen.contains("TYPING_EVENT"), "the rate-limited event was not sent");
    }

    static SwitchboardException failure(CompletableFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, () -> f.orTimeout(10, TimeUnit.SECONDS).join());
        assertTrue(e.getCause() instanceof SwitchboardException, "expected an error reply, got " + e.getCause());
        return (SwitchboardException) e.getCause();
    }
}
