package dev.switchboard.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.app.Fleet.Recorder;
import dev.switchboard.message.presence.RedisOnlineUsers;
import dev.switchboard.testing.FreePorts;
import dev.switchboard.testing.NoBlockingOnEventLoops;
import dev.switchboard.testing.RedisCli;
import dev.switchboard.wire.proto.PresenceChange;
import dev.switchboard.wire.proto.PresenceResult;
import dev.switchboard.wire.proto.ServerFrame;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Presence across nodes: one edge in this JVM, one in a process of its own that
 * the test kills with SIGKILL (no disconnect hook runs), on one Redis.
 */
@ExtendWith(NoBlockingOnEventLoops.class)
class PresenceFleetIT {
    static Fleet fleet;

    @BeforeAll
    static void start() throws Exception {
        fleet = new Fleet(1);
        fleet.createUser("acme", "alice");
        for (int i = 0; i < 30; i++) {
            fleet.createUser("acme", "u" + i);
        }
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void usersOnTwoNodesSeeEachOtherAndAKilledNodesUsersGoOfflineWithinTheTtl() throws Exception {
        String channel = groupOfAliceAndThirtyUsers("team");

        Recorder alice = fleet.connect(0, "alice", "acme");
        long node2Starting = System.currentTimeMillis();
        int port = FreePorts.next();
        Process node2 = fleet.startEdgeProcess("node-2", port);
        List<Recorder> others = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            others.add(fleet.connectTo(port, "u" + i, "acme"));
        }

        Map<String, Boolean> state = collect(alice, 30, true);
        state.remove("alice");
        assertEquals(30, state.size(), "alice sees the 30 users of node 2 come online: " + state);
        List<String> online = alice.client.presence(channel).get(10, TimeUnit.SECONDS);
        assertEquals(31, online.size(), "presence query from node 1: " + online);
        List<String> seenFromNode2 = others.get(0).client.presence(channel).get(10, TimeUnit.SECONDS);
        assertTrue(seenFromNode2.contains("alice"), "users on node 2 see alice on node 1: " + seenFromNode2);

        long killedAt = System.nanoTime();
        long killedWall = System.currentTimeMillis();
        node2.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        int frames = countingFrames(alice, 30, false, state);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertTrue(state.values().stream().noneMatch(Boolean::booleanValue), "all offline: " + state);
        assertTrue(tookMs < Fleet.PRESENCE_TTL.toMillis() + 5_000, "offline within the TTL (plus reaping): " + tookMs + " ms");
        assertTrue(frames <= 5, "30 users going offline arrive coalesced, not as a storm: " + frames + " frames");
        assertEquals(List.of("alice"), alice.client.presence(channel).get(10, TimeUnit.SECONDS));

        // Last seen: the reaper wrote each lease's last renewal, between node 2's start and its death.
        PresenceResult presence = alice.client.presenceResult(channel).get(10, TimeUnit.SECONDS);
        Map<String, Long> seen = presence.getLastSeenMsMap();
        assertEquals(30, seen.size(), "every user of the killed node has a last seen: " + seen);
        for (Map.Entry<String, Long> e : seen.entrySet()) {
            assertTrue(e.getValue() >= node2Starting && e.getValue() <= killedWall,
                    e + " not in [" + node2Starting + ", " + killedWall + "]");
        }
        // The message-service reads the same times from the same keys (its PresenceKeys, the edge's format).
        try (RedisOnlineUsers service = RedisOnlineUsers.connect(fleet.redis.uri(), Duration.ofSeconds(2), Clock.systemUTC())) {
            Map<String, Instant> read = service.lastSeen("acme", seen.keySet()).get(10, TimeUnit.SECONDS);
            assertEquals(seen.keySet(), read.keySet());
            read.forEach((user, at) -> assertEquals(seen.get(user), at.toEpochMilli(), user));
        }
    }

    /**
     * A chat channel's presence asks Redis about every member. A client that asks again and again (one connection may
     * send 200 commands a second) gets the node's shared answer of that second, not a Redis command per member per
     * query: 150 queries of a 31-member channel cost Redis a few dozen look-ups, not 4,650.
     */
    @Test
    void repeatedPresenceQueriesOfAChannelShareOneAnswerASecond() throws Exception {
        String channel = groupOfAliceAndThirtyUsers("busy");
        Recorder alice = fleet.connect(0, "alice", "acme");
        long before = hvalsCalls();
        List<CompletableFuture<List<String>>> queries = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            queries.add(alice.client.presence(channel));
        }
        for (var q : queries) {
            assertTrue(q.get(10, TimeUnit.SECONDS).contains("alice"));
        }
        long lookups = hvalsCalls() - before;
        assertTrue(lookups > 0 && lookups <= 31 * 5, "Redis look-ups for 150 queries of 31 members: " + lookups);

        // A change of the channel passing through the node drops the shared answer: told that u0 came online, alice
        // asks at once and sees u0, where the answer of a moment before (still within its second) did not.
        Recorder u0 = fleet.connect(0, "u0", "acme");
        Map<String, Boolean> state = new HashMap<>();
        countingFrames(alice, 1, true, state);
        assertEquals(Boolean.TRUE, state.get("u0"), "alice was told: " + state);
        assertTrue(alice.client.presence(channel).get(10, TimeUnit.SECONDS).contains("u0"), "the answer after the change");
        u0.client.close();
    }

    private static long hvalsCalls() {
        for (String line : RedisCli.lines(fleet.redis.port(), "INFO", "commandstats")) {
            if (line.startsWith("cmdstat_hvals:")) {
                return Long.parseLong(line.replaceAll("^cmdstat_hvals:calls=(\\d+),.*", "$1"));
            }
        }
        return 0;
    }

    /** A chat group of alice (its creator) and u0..u29; returns its realtime channel. */
    private static String groupOfAliceAndThirtyUsers(String name) throws Exception {
        StringBuilder members = new StringBuilder("\"u0\"");
        for (int i = 1; i < 30; i++) {
            members.append(",\"u").append(i).append('"');
        }
        Fleet.Rest group = fleet.rest("POST", "/v1/channels", fleet.token("alice", "acme"),
                "{\"name\":\"" + name + "\",\"type\":\"GROUP\",\"members\":[" + members + "]}");
        assertEquals(201, group.status(), group.toString());
        return "acme/chat/" + group.body().path("channel").path("id").asLong(group.body().path("id").asLong());
    }

    /** Reads presence pushes until {@code count} users reached {@code online}; returns the state. */
    static Map<String, Boolean> collect(Recorder r, int count, boolean online) throws InterruptedException {
        Map<String, Boolean> state = new HashMap<>();
        countingFrames(r, count, online, state);
        return state;
    }

    static int countingFrames(Recorder r, int count, boolean online, Map<String, Boolean> state) throws InterruptedException {
        int frames = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline
                && state.entrySet().stream().filter(e -> e.getKey().startsWith("u") && e.getValue() == online).count() < count) {
            ServerFrame f = r.pushes.poll(200, TimeUnit.MILLISECONDS);
            if (f != null && f.hasPresenceChanges()) {
                frames++;
                for (PresenceChange c : f.getPresenceChanges().getChangesList()) {
                    if (!c.getUserId().equals("alice")) {
                        state.put(c.getUserId(), c.getOnline());
                    }
                }
            }
        }
        assertNotNull(state);
        return frames;
    }
}
