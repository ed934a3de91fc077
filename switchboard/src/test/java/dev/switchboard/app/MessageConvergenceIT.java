package dev.switchboard.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.ChatChannelState;
import dev.switchboard.client.ChatPayloads;
import dev.switchboard.client.ClientListener;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Endpoint;
import dev.switchboard.client.Publication;
import dev.switchboard.client.PublishResult;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardClientOptions;
import dev.switchboard.client.TokenProvider;
import dev.switchboard.wire.chat.ChatMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The must-show of issue #17 (ADR 0013): three clients of a channel on a fleet of two
 * edges on Redis and a message-service on PostgreSQL; one is away while 200 mixed
 * events happen (sends, edits, deletes, reactions added and removed, thread replies,
 * mentions), then comes back through the other edge. Its state equals the
 * always-connected clients' state and a fresh history load, message by message, and
 * every member's unread and mention counts equal the stored ones.
 */
class MessageConvergenceIT {
    static final List<String> EMOJI = List.of(":+1:", ":tada:", ":eyes:", "🚀");
    /** Generous: a loaded machine runs the whole fleet. */
    static final Duration WAIT = Duration.ofSeconds(120);
    static Fleet fleet;

    @BeforeAll
    static void start() throws Exception {
        fleet = new Fleet(2);
        for (String u : List.of("alice", "bob", "carol")) {
            fleet.createUser("acme", u);
        }
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    /** A member: its SDK client and what it knows of the channel. */
    record Member(String user, SwitchboardClient client, ChatChannelState state) {
    }

    Member member(String user, String channel, Endpoint endpoint) {
        ChatChannelState state = new ChatChannelState(channel, user);
        SwitchboardClient c = SwitchboardClient.builder(endpoint, TokenProvider.supplying(() -> fleet.token(user, "acme")),
                        fleet.clients)
                .listener(new ClientListener() {
                    @Override
                    public void onPublication(Publication p) {
                        state.apply(p);
                    }
                })
                .options(SwitchboardClientOptions.builder().backoff(Duration.ofMillis(100), Duration.ofMillis(500)).build())
                .build();
        return new Member(user, c, state);
    }

    static URI edge(int i) {
        return URI.create("ws://127.0.0.1:" + fleet.edges.get(i).port() + "/ws");
    }

    @Test
    void aClientAwayDuring200EventsConvergesThroughTheOtherEdge() throws Exception {
        Fleet.Rest created = fleet.rest("POST", "/v1/channels", fleet.token("alice", "acme"),
                "{\"name\":\"lifecycle\",\"type\":\"GROUP\",\"members\":[\"bob\",\"carol\"]}");
        assertEquals(201, created.status(), created.toString());
        long id = created.body().path("id").asLong();
        String channel = "acme/chat/" + id;

        AtomicReference<URI> carolsEdge = new AtomicReference<>(edge(0));
        Endpoint carolsEndpoint = token -> {
            URI target = carolsEdge.get();
            return target == null ? CompletableFuture.failedFuture(new IllegalStateException("carol is offline"))
                    : CompletableFuture.completedFuture(List.of(target));
        };
        Member alice = member("alice", channel, Endpoint.fixed(edge(0)));
        Member bob = member("bob", channel, Endpoint.fixed(edge(1)));
        Member carol = member("carol", channel, carolsEndpoint);
        List<Member> members = List.of(alice, bob, carol);
        for (Member m : members) {
            m.client().connect().get(60, TimeUnit.SECONDS);
        }
        try {
            Random random = new Random(17);
            Script script = new Script(channel, random);
            for (int i = 0; i < 10; i++) {
                script.step(random.nextBoolean() ? alice : bob, members);
            }
            long warm = script.lastSeq;
            await("every member saw the warm-up").atMost(WAIT)
                    .until(() -> members.stream().allMatch(m -> m.state().lastSeq() == warm));

            // Carol goes away: her endpoint answers nothing, and her session is cut.
            carolsEdge.set(null);
            disconnect("carol");
            await("carol is disconnected").atMost(WAIT).until(() -> carol.client().state() != ConnectionState.CONNECTED);
            for (int i = 0; i < 200; i++) {
                script.step(random.nextBoolean() ? alice : bob, members);
            }
            long last = script.lastSeq;
            await("the connected saw everything").atMost(WAIT)
                    .until(() -> alice.state().lastSeq() == last && bob.state().lastSeq() == last);
            assertTrue(carol.state().lastSeq() < last, "carol was away");

            // Carol comes back through the other edge and recovers from her position.
            carolsEdge.set(edge(1));
            await("carol reconnected").atMost(WAIT).until(() -> carol.client().state() == ConnectionState.CONNECTED);
            assertEquals(fleet.edges.get(1).options().nodeId(), carol.client().session().nodeId(), "through the other edge");
            await("carol recovered every entry").atMost(WAIT).until(() -> carol.state().lastSeq() == last);

            List<ChatMessage> expected = alice.state().messages();
            assertEquals(expected, bob.state().messages(), "the always-connected agree");
            assertEquals(expected, carol.state().messages(), "the returning client converged");
            List<ChatMessage> fresh = freshHistory(id, channel).messages();
            assertEquals(expected.size(), fresh.size(), "every message is in a fresh history load");
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(fresh.get(i), expected.get(i), "message " + expected.get(i).id()
                        + " as a fresh history load shows it");
            }
            assertTrue(script.kinds.keySet().containsAll(List.of("send", "edit", "delete", "react", "unreact", "reply",
                    "mention")), "a mixed run: " + script.kinds);
            for (Member m : members) {
                JsonNode row = channelRow(m.user(), id);
                long read = row.path("last_read_seq").asLong();
                assertEquals(row.path("unread_count").asLong(), m.state().unreadCount(read), m.user() + " unread");
                assertEquals(row.path("mention_count").asLong(), m.state().mentionCount(read), m.user() + " mentions");
            }
            System.out.printf("convergence: %d log entries, %d messages, events %s%n", last, expected.size(), script.kinds);
            script.micros.forEach((kind, list) -> {
                List<Long> sorted = list.stream().sorted().toList();
                System.out.printf("publish-to-ack %-8s n=%3d median %6d µs p90 %6d µs%n", kind, sorted.size(),
                        sorted.get(sorted.size() / 2), sorted.get(sorted.size() * 9 / 10));
            });
        } finally {
            members.forEach(m -> m.client().close());
        }
    }

    /** 200 mixed events by the connected members, each acknowledged before the next. */
    static final class Script {
        final String channel;
        final Random random;
        final Map<Long, String> authors = new LinkedHashMap<>();
        final Set<Long> deleted = new HashSet<>();
        final Set<Long> replies = new HashSet<>();
        final Map<String, Set<String>> reactions = new HashMap<>();
        final Map<String, Integer> kinds = new TreeMap<>();
        /** Publish-to-ack times per kind (µs), for docs/benchmarks.md; never asserted. */
        final Map<String, List<Long>> micros = new TreeMap<>();
        long lastSeq;
        int n;

        Script(String channel, Random random) {
            this.channel = channel;
            this.random = random;
        }

        void step(Member who, List<Member> all) throws Exception {
            String user = who.user();
            List<Long> alive = authors.keySet().stream().filter(id -> !deleted.contains(id)).toList();
            List<Long> mine = alive.stream().filter(id -> authors.get(id).equals(user)).toList();
            List<Long> roots = alive.stream().filter(id -> !replies.contains(id)).toList();
            int dice = random.nextInt(100);
            String kind;
            byte[] payload;
            long target = 0;
            String reactionKey = null;
            if (dice < 30 || alive.isEmpty()) {
                List<String> mentions = random.nextInt(4) == 0
                        ? List.of(all.get(random.nextInt(all.size())).user()) : List.of();
                kind = mentions.isEmpty() ? "send" : "mention";
                payload = ChatPayloads.message(user + " says " + n, mentions);
            } else if (dice < 45 && !mine.isEmpty()) {
                kind = "edit";
                target = pick(mine);
                payload = ChatPayloads.edit(target, "edited by " + user + " at " + n);
            } else if (dice < 52 && !mine.isEmpty()) {
                kind = "delete";
                target = pick(mine);
                payload = ChatPayloads.delete(target);
            } else if (dice < 80) {
                // Two in five take back one of my reactions, when I have one on a live message.
                List<String> taken = reactions.entrySet().stream().filter(e -> e.getValue().contains(user))
                        .map(Map.Entry::getKey).filter(k -> !deleted.contains(Long.parseLong(k.split("/")[0]))).toList();
                String emoji;
                if (!taken.isEmpty() && random.nextInt(5) < 2) {
                    String[] key = taken.get(random.nextInt(taken.size())).split("/", 2);
                    target = Long.parseLong(key[0]);
                    emoji = key[1];
                } else {
                    target = pick(alive);
                    emoji = EMOJI.get(random.nextInt(EMOJI.size()));
                }
                reactionKey = target + "/" + emoji;
                Set<String> have = reactions.computeIfAbsent(reactionKey, k -> new HashSet<>());
                boolean add = !have.contains(user);
                kind = add ? "react" : "unreact";
                payload = ChatPayloads.reaction(target, emoji, add);
            } else if (!roots.isEmpty()) {
                kind = "reply";
                target = pick(roots);
                payload = ChatPayloads.reply(target, user + " replies " + n, random.nextInt(3) == 0,
                        random.nextBoolean() ? List.of("carol") : List.of());
            } else {
                kind = "send";
                payload = ChatPayloads.message(user + " says " + n, List.of());
            }
            long t0 = System.nanoTime();
            PublishResult ack = who.client().publish(channel, payload, user + "-" + n++).get(30, TimeUnit.SECONDS);
            micros.computeIfAbsent(kind.equals("mention") ? "send" : kind, k -> new ArrayList<>())
                    .add((System.nanoTime() - t0) / 1_000);
            assertEquals(lastSeq + 1, ack.seq(), kind + " takes the next sequence");
            lastSeq = ack.seq();
            kinds.merge(kind, 1, Integer::sum);
            switch (kind) {
                case "send", "mention", "reply" -> {
                    authors.put(ack.messageId(), user);
                    if (kind.equals("reply")) {
                        replies.add(ack.messageId());
                    }
                }
                case "delete" -> deleted.add(target);
                case "react", "unreact" -> {
                    Set<String> have = reactions.get(reactionKey);
                    if (kind.equals("react")) {
                        have.add(user);
                    } else {
                        have.remove(user);
                    }
                }
                default -> {
                }
            }
        }

        private long pick(List<Long> ids) {
            return ids.get(random.nextInt(ids.size()));
        }
    }

    /** Every message by a fresh history load: the channel's pages, then each thread's replies. */
    static ChatChannelState freshHistory(long id, String channel) throws Exception {
        String token = fleet.token("bob", "acme");
        ChatChannelState out = new ChatChannelState(channel, "bob");
        List<Long> threads = new ArrayList<>();
        String cursor = "";
        do {
            Fleet.Rest page = fleet.rest("GET", "/v1/channels/" + id + "/messages?limit=50" + cursor, token, null);
            assertEquals(200, page.status(), page.toString());
            for (JsonNode m : page.body().path("messages")) {
                ChatMessage c = ChatMessage.fromJson(m);
                out.apply(publication(c, channel));
                if (c.state().thread() != null) {
                    threads.add(c.id());
                }
            }
            JsonNode next = page.body().path("next_cursor");
            cursor = next.isNull() || next.isMissingNode() ? null : "&before=" + next.asLong();
        } while (cursor != null);
        for (long root : threads) {
            String after = "0";
            while (after != null) {
                Fleet.Rest page = fleet.rest("GET", "/v1/channels/" + id + "/messages/" + root + "/replies?limit=50&after="
                        + after, token, null);
                assertEquals(200, page.status(), page.toString());
                for (JsonNode m : page.body().path("replies")) {
                    out.apply(publication(ChatMessage.fromJson(m), channel));
                }
                JsonNode next = page.body().path("next_cursor");
                after = next.isNull() || next.isMissingNode() ? null : next.asText();
            }
        }
        return out;
    }

    /** The publication a client gets for a history entry. */
    static Publication publication(ChatMessage m, String channel) {
        var p = m.publication(channel);
        return new Publication(p.getChannel(), p.getSeq(), p.getSenderId(), p.getTimestampMs(),
                p.getPayload().toByteArray(), p.getMessageId(), p.getClientMsgId());
    }

    static JsonNode channelRow(String user, long id) throws Exception {
        Fleet.Rest mine = fleet.rest("GET", "/v1/me/channels", fleet.token(user, "acme"), null);
        assertEquals(200, mine.status(), mine.toString());
        for (JsonNode c : mine.body().path("groups")) {
            if (c.path("id").asLong() == id) {
                return c;
            }
        }
        throw new AssertionError("channel " + id + " not among " + user + "'s");
    }

    /** Cuts a user's sessions through an edge's server API, asking them to come back (4006). */
    static void disconnect(String user) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + fleet.edges.get(0).apiPort() + "/v1/disconnect"))
                .header("X-Api-Key", Fleet.API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"org\":\"acme\",\"user_id\":\"" + user
                        + "\",\"code\":4006,\"reconnect_after_ms\":100}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }
}
