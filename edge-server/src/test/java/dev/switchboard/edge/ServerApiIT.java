package dev.switchboard.edge;

import static org.awaitility.Awaitility.await;
import dev.switchboard.testing.NoBlockingOnEventLoops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.bridge.memory.MemoryBroker;
import dev.switchboard.client.ServerApiClient;
import dev.switchboard.client.ServerApiClient.ApiError;
import dev.switchboard.edge.EdgeFixture.Recorder;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;
import java.time.Duration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoBlockingOnEventLoops.class)
class ServerApiIT {
    @AutoClose
    final EdgeFixture fx = new EdgeFixture();
    EdgeServer server;
    ServerApiClient api;

    @BeforeEach
    void start() throws Exception {
        server = fx.start(EdgeFixture.options().nodeId("api-1").build());
        api = new ServerApiClient(URI.create("http://127.0.0.1:" + server.apiPort()), EdgeFixture.API_KEY);
    }

    @Test
    void publishToChannelReachesEverySubscriberOnce() throws Exception {
        Recorder a = fx.connect(server, "a", "acme");
        Recorder b = fx.connect(server, "b", "acme");
        a.client.subscribe("acme/news").join();
        b.client.subscribe("acme/news").join();
        JsonNode res = api.publish("acme/news", Map.of("headline", "hi")).get(10, TimeUnit.SECONDS);
        assertEquals(2, res.get("local_recipients").asInt());
        for (Recorder r : List.of(a, b)) {
            Publication p = r.next();
            assertEquals("acme/news", p.getChannel());
            assertEquals("{\"headline\":\"hi\"}", p.getPayload().toStringUtf8());
            assertEquals("", p.getSenderId());
        }
        api.publishProtobuf(List.of("acme/news"), new byte[] {1, 2, 3}).get(10, TimeUnit.SECONDS);
        assertEquals(3, a.next().getPayload().size());
        assertEquals(3, b.next().getPayload().size());
        // Absence: nothing may arrive for 100 ms (a late delivery would show by then).
        await().during(Duration.ofMillis(100)).atMost(Duration.ofMillis(2100)).until(() -> a.publications.isEmpty() && b.publications.isEmpty());
        assertNull(a.publications.poll(), "delivered more than once");
        assertNull(b.publications.poll(), "delivered more than once");
    }

    @Test
    void publishToUserReachesAllOfTheirSessionsAndNoOneElse() throws Exception {
        Recorder phone = fx.connect(server, "ann", "acme");
        Recorder laptop = fx.connect(server, "ann", "acme");
        Recorder bob = fx.connect(server, "bob", "acme");
        Recorder otherOrgAnn = fx.connect(server, "ann", "globex");
        api.publishToUser("acme", "ann", Map.of("kind", "ping")).get(10, TimeUnit.SECONDS);
        assertEquals("acme/#ann", phone.next().getChannel());
        assertEquals("acme/#ann", laptop.next().getChannel());
        // Absence: nothing may arrive for 200 ms (a late delivery would show by then).
        await().during(Duration.ofMillis(200)).atMost(Duration.ofMillis(2200)).until(() -> bob.publications.isEmpty() && otherOrgAnn.publications.isEmpty());
        assertNull(bob.publications.poll());
        assertNull(otherOrgAnn.publications.poll());
    }

    @Test
    void broadcastToHundredChannelsReachesEachChannelsSubscribers() throws Exception {
        List<Recorder> subscribers = new ArrayList<>();
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String ch = "acme/room-" + i;
            channels.add(ch);
            Recorder r = fx.connect(server, "u" + i, "acme");
            r.client.subscribe(ch).join();
            subscribers.add(r);
        }
        JsonNode res = api.broadcast(channels, "hello all").get(10, TimeUnit.SECONDS);
        assertEquals(100, res.get("channels").asInt());
        assertEquals(100, res.get("local_recipients").asInt());
        for (int i = 0; i < 100; i++) {
            Publication p = subscribers.get(i).next();
            assertNotNull(p);
            assertEquals("acme/room-" + i, p.getChannel());
            assertEquals("\"hello all\"", p.getPayload().toStringUtf8());
        }
    }

    /**
     * Each channel of a publish is a frame built and queued for the broker: a body of 1 MiB naming 100,000 channels
     * (or one channel 100,000 times) with a 10 KiB payload would make the node build and queue gigabytes.
     */
    @Test
    void aPublishOrBroadcastNamesAtMostAHundredChannelsEachOnceAndARefusedOneSendsNothing() throws Exception {
        Recorder listener = fx.connect(server, "lee", "acme");
        listener.client.subscribe("acme/room-0").join();
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) { // ~960 KB of names: within the 1 MiB body limit
            many.add("acme/room-" + (i % 101));
        }
        ApiError tooMany = apiError(() -> api.broadcast(many, "x".repeat(1000)).join());
        assertEquals(400, tooMany.status());
        assertTrue(tooMany.getMessage().contains("at most 100 channels per call, got 60000"), tooMany.getMessage());
        ApiError justOver = apiError(() -> api.broadcast(many.subList(0, 101), "x").join());
        assertTrue(justOver.getMessage().contains("got 101"), justOver.getMessage());
        ApiError twice = apiError(() -> api.broadcast(List.of("acme/room-0", "acme/room-1", "acme/room-0"), "x").join());
        assertEquals(400, twice.status());
        assertTrue(twice.getMessage().contains("acme/room-0 is named twice"), twice.getMessage());
        assertEquals(400, apiError(() -> api.publishProtobuf(many.subList(0, 101), new byte[] {1}).join()).status());
        assertEquals(400, apiError(() -> api.publishProtobuf(List.of("acme/room-0", "acme/room-0"), new byte[] {1}).join()).status());

        assertEquals(100, api.broadcast(many.subList(0, 100), "at the limit").get(10, TimeUnit.SECONDS).get("channels").asInt());
        assertEquals("\"at the limit\"", listener.next().getPayload().toStringUtf8(), "nothing of the refused calls arrived first");
    }

    @Test
    void disconnectClosesTheUsersSessionsWithTheGivenCode() throws Exception {
        Recorder one = fx.connect(server, "eve", "acme");
        Recorder two = fx.connect(server, "eve", "acme");
        Recorder bystander = fx.connect(server, "sam", "acme");
        api.disconnect("acme", "eve", DisconnectCode.FORCE_DISCONNECT.code(), "banned", null).get(10, TimeUnit.SECONDS);
        for (Recorder r : List.of(one, two)) {
            assertEquals(DisconnectCode.FORCE_DISCONNECT.code(), r.client.closeFuture().get(5, TimeUnit.SECONDS));
            assertEquals("banned", r.disconnects.poll(1, TimeUnit.SECONDS).getReason());
        }
        assertTrue(bystander.client.isOpen());
    }

    @Test
    void disconnectOfOneSessionLeavesTheOthers() throws Exception {
        Recorder one = new Recorder();
        one.client = fx.open(server, fx.token("eve", "acme"), one);
        String sessionId = one.client.hello().join().getSessionId();
        Recorder two = fx.connect(server, "eve", "acme");
        api.disconnect("acme", "eve", DisconnectCode.FORCE_RECONNECT.code(), null, sessionId).get(10, TimeUnit.SECONDS);
        assertEquals(DisconnectCode.FORCE_RECONNECT.code(), one.client.closeFuture().get(5, TimeUnit.SECONDS));
        Thread.sleep(200); // absence has no condition to wait for: a wrongly closed session would show by now
        assertTrue(two.client.isOpen());
    }

    @Test
    void serverSideSubscribeAndUnsubscribeReachLiveSessions() throws Exception {
        Recorder r = fx.connect(server, "kim", "acme");
        api.subscribe("acme", "kim", "acme/ops").get(10, TimeUnit.SECONDS);
        ServerFrame pushed = r.pushes.poll(5, TimeUnit.SECONDS);
        assertNotNull(pushed);
        assertEquals("acme/ops", pushed.getSubscribed().getChannel());
        api.publish("acme/ops", "deploy").get(10, TimeUnit.SECONDS);
        assertEquals("\"deploy\"", r.next().getPayload().toStringUtf8());
        JsonNode presence = api.presence("acme/ops").get(10, TimeUnit.SECONDS);
        assertEquals("kim", presence.get("online_user_ids").get(0).asText());
        api.unsubscribe("acme", "kim", "acme/ops").get(10, TimeUnit.SECONDS);
        assertEquals("acme/ops", r.pushes.poll(5, TimeUnit.SECONDS).getUnsubscribed().getChannel());
        assertEquals(0, api.channelStats("acme/ops").get(10, TimeUnit.SECONDS).get("local_subscribers").asInt());
    }

    @Test
    void refusesBadKeysOversizedPayloadsAndBadInputClearly() throws Exception {
        ServerApiClient wrongKey = new ServerApiClient(URI.create("http://127.0.0.1:" + server.apiPort()), "wrong-key-0123456789");
        assertEquals(401, apiError(() -> wrongKey.publish("acme/x", 1).join()).status());
        ApiError big = apiError(() -> api.publishBytes("acme/x", new byte[EdgeServerOptions.DEFAULT_MAX_PAYLOAD_BYTES + 1]).join());
        assertEquals(413, big.status());
        assertEquals("PAYLOAD_TOO_LARGE", big.code());
        assertEquals(400, apiError(() -> api.publish("not-a-channel", 1).join()).status());
        assertEquals(400, apiError(() -> api.subscribe("acme", "kim", "globex/ops").join()).status());

        HttpResponse<String> hugeBody = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.apiPort() + "/v1/publish"))
                .header("X-Api-Key", EdgeFixture.API_KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[EdgeServerOptions.DEFAULT_MAX_API_BODY_BYTES + 1])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, hugeBody.statusCode());

        JsonNode nobody = api.publish("acme/nobody-listens", "x").get(10, TimeUnit.SECONDS);
        assertEquals(0, nobody.get("local_recipients").asInt());
        JsonNode stats = api.stats().get(10, TimeUnit.SECONDS);
        assertEquals("api-1", stats.get("node_id").asText());
        assertTrue(stats.get("heap_used_bytes").asLong() > 0);
    }

    @Test
    void brokerOutageAnswers503Quickly() throws Exception {
        MemoryBroker broker = new MemoryBroker();
        EdgeServer node = fx.start(EdgeFixture.options().nodeId("api-2").build(), broker);
        ServerApiClient client = new ServerApiClient(URI.create("http://127.0.0.1:" + node.apiPort()), EdgeFixture.API_KEY);
        broker.close();
        long start = System.nanoTime();
        assertEquals(503, apiError(() -> client.publish("acme/x", 1).join()).status());
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 5);
    }

    static ApiError apiError(Runnable call) {
        CompletionException e = assertThrows(CompletionException.class, call::run);
        assertTrue(e.getCause() instanceof ApiError, "expected an API error, got " + e.getCause());
        return (ApiError) e.getCause();
    }
}
