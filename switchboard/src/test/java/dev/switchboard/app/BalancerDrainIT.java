package dev.switchboard.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.Endpoint;
import dev.switchboard.client.ClientListener;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Publication;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardClientOptions;
import dev.switchboard.client.TokenProvider;
import dev.switchboard.edge.EdgeServer;
import dev.switchboard.testing.Closeables;
import dev.switchboard.testing.NoBlockingOnEventLoops;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drain under traffic: 2,000 clients connected through the balancer to three
 * edge nodes; the busiest node drains while messages are committed; every
 * client of that node reconnects through the balancer to another node and no
 * committed message is lost or duplicated for anyone.
 */
@ExtendWith(NoBlockingOnEventLoops.class)
class BalancerDrainIT {
    static final int USERS = 2000;
    static final int CHANNELS = 20;
    static final int MESSAGES = 300;

    static Fleet fleet;
    static FleetBalancer balancer;
    static final List<Long> channelIds = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fleet = new Fleet(3);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> created = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            String id = "u" + i;
            created.add(pool.submit(() -> {
                fleet.createUser("acme", id);
                return null;
            }));
        }
        for (Future<?> f : created) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        for (int c = 0; c < CHANNELS; c++) {
            StringBuilder members = new StringBuilder();
            for (int i = c; i < USERS; i += CHANNELS) {
                members.append(members.isEmpty() ? "" : ",").append("\"u").append(i).append('"');
            }
            Fleet.Rest group = fleet.rest("POST", "/v1/channels", fleet.token("u" + c, "acme"),
                    "{\"name\":\"room-" + c + "\",\"type\":\"GROUP\",\"members\":[" + members + "]}");
            assertEquals(201, group.status(), group.toString());
            channelIds.add(group.body().path("channel").path("id").asLong(group.body().path("id").asLong()));
        }
        balancer = new FleetBalancer(fleet, 1500);
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(balancer, fleet);
    }

    static final class Member implements ClientListener {
        final ConcurrentLinkedQueue<Long> seqs = new ConcurrentLinkedQueue<>();
        SwitchboardClient client;

        @Override
        public void onPublication(Publication p) {
            seqs.add(p.seq());
        }
    }

    @Test
    void drainingNodeMovesEveryClientElsewhereWithoutLossOrDuplicates() throws Exception {
        URI balancerUrl = balancer.url();
        await("the message-service is healthy").atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .until(() -> fleet.rest("GET", "/healthz", null, null).status() == 200);

        // One endpoint (one HTTP client and its pooled connections) for every client: each still asks the balancer
        // on every (re)connect, without 2,000 HTTP clients each with its own selector thread and connection.
        Endpoint viaBalancer = Endpoint.balancer(balancerUrl);
        List<Member> members = new ArrayList<>(USERS);
        List<CompletableFuture<?>> connected = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            Member m = new Member();
            String user = "u" + i;
            m.client = SwitchboardClient.builder(viaBalancer, TokenProvider.supplying(() -> fleet.token(user, "acme")),
                    fleet.clients).listener(m)
                    .options(SwitchboardClientOptions.builder().backoff(Duration.ofMillis(100), Duration.ofSeconds(2)).build()).build();
            connected.add(m.client.connect());
            members.add(m);
            if (i % 200 == 199) {
                CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
        }
        CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        EdgeServer busiest = fleet.edges.stream().max(Comparator.comparingInt(e -> e.hub().sessionCount())).orElseThrow();
        int moving = busiest.hub().sessionCount();
        assertTrue(moving > 0);

        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < MESSAGES; i++) {
                    long id = channelIds.get(i % CHANNELS);
                    Fleet.Rest sent = fleet.rest("POST", "/v1/channels/" + id + "/messages", fleet.token("u" + (i % CHANNELS), "acme"),
                            "{\"text\":\"m" + i + "\",\"client_msg_id\":\"d-" + i + "\"}");
                    if (sent.status() != 201) {
                        throw new IllegalStateException(sent.toString());
                    }
                    Thread.sleep(10); // paces the load
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        producer.start();
        await("messages are flowing").atMost(Duration.ofSeconds(30))
                .until(() -> members.stream().anyMatch(m -> !m.seqs.isEmpty()));
        busiest.drain(Duration.ofSeconds(2));
        producer.join(120_000);
        busiest.drained().get(30, TimeUnit.SECONDS);

        int perChannel = MESSAGES / CHANNELS;
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= perChannel; s++) {
            expected.add(s);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            for (int i = 0; i < USERS; i++) {
                assertEquals(expected, new ArrayList<>(members.get(i).seqs), "user u" + i + " got every message once, in order");
            }
        });
        assertEquals(0, busiest.hub().sessionCount(), "the drained node is empty");
        int moved = 0;
        for (Member m : members) {
            assertEquals(ConnectionState.CONNECTED, m.client.state(), "every client is connected again");
            assertTrue(m.client.session().url().getPort() != busiest.port(), "no client is left on the drained node");
            if (m.client.session().connection() > 1) {
                moved++;
            }
        }
        assertEquals(moving, moved, "exactly the drained node's clients reconnected");
        Thread.sleep(300); // absence has no condition to wait for: a late duplicate would show by now
        for (Member m : members) {
            assertNull(m.seqs.size() > perChannel ? "duplicate" : null);
        }
        members.forEach(m -> m.client.close());
    }
}
