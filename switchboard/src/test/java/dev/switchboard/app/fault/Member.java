package dev.switchboard.app.fault;

import dev.switchboard.app.Fleet;
import dev.switchboard.client.ChannelEvent;
import dev.switchboard.client.ClientListener;
import dev.switchboard.client.Disconnected;
import dev.switchboard.client.Endpoint;
import dev.switchboard.client.Publication;
import dev.switchboard.client.Session;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardClientOptions;
import dev.switchboard.client.TokenProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * One user's {@link SwitchboardClient} and everything its listener heard:
 * the sequences delivered per channel, in delivery order (duplicates kept, so
 * that a check can see them), and when each connection was established.
 * Lock-free, because the test thread reads what the client's executor writes.
 */
final class Member implements ClientListener {
    final String user;
    private final Map<String, ConcurrentLinkedQueue<Long>> delivered = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> connectedAt = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> deliveredAt = new ConcurrentLinkedQueue<>();
    private final AtomicInteger mayHaveMissed = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> disconnects = new ConcurrentLinkedQueue<>();
    SwitchboardClient client;

    Member(String user) {
        this.user = user;
    }

    /**
     * Users {@code u0..u<users-1>} of the roster's organisation, each a client (backoff 100 ms
     * to 2 s, publishes not retried, so a test sees the server's refusal) through
     * {@code endpointOf.apply(i)}, all connected.
     */
    static List<Member> connectAll(Fleet fleet, Roster roster, int users, IntFunction<Endpoint> endpointOf) throws Exception {
        List<Member> members = new ArrayList<>();
        List<CompletableFuture<?>> connected = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            Member m = new Member("u" + i);
            m.client = SwitchboardClient.builder(endpointOf.apply(i), TokenProvider.supplying(() -> fleet.token(m.user, roster.org)),
                            fleet.clients).listener(m)
                    .options(SwitchboardClientOptions.builder().backoff(Duration.ofMillis(100), Duration.ofSeconds(2))
                            .publishRetries(1, Duration.ofMillis(100)).build()).build();
            connected.add(m.client.connect());
            members.add(m);
        }
        CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        return members;
    }

    @Override
    public void onPublication(Publication p) {
        delivered.computeIfAbsent(p.channel(), c -> new ConcurrentLinkedQueue<>()).add(p.seq());
        deliveredAt.add(System.nanoTime());
    }

    @Override
    public void onConnected(Session session) {
        connectedAt.add(System.nanoTime());
    }

    @Override
    public void onDisconnected(Disconnected d) {
        disconnects.add(d.code() + " " + d.reason());
    }

    /** How each of its connections ended so far (code and reason), for failure messages. */
    List<String> disconnects() {
        return new ArrayList<>(disconnects);
    }

    @Override
    public void onChannelEvent(ChannelEvent event) {
        if (event instanceof ChannelEvent.MayHaveMissed) {
            mayHaveMissed.incrementAndGet();
        }
    }

    /** How many connections the client opened (1 + reconnects). */
    int connections() {
        Session s = client.session();
        return s == null ? 0 : s.connection();
    }

    /** "You may have missed messages" signals received (the server's resubscribe after a broker outage). */
    int mayHaveMissed() {
        return mayHaveMissed.get();
    }

    /** Sequences of {@code channel} in the order the listener got them. */
    List<Long> delivered(String channel) {
        ConcurrentLinkedQueue<Long> q = delivered.get(channel);
        return q == null ? List.of() : new ArrayList<>(q);
    }

    /** The first connection established at or after {@code nanos} (System.nanoTime), or -1. */
    long connectedAfter(long nanos) {
        return firstAfter(connectedAt, nanos);
    }

    /** The first delivery at or after {@code nanos}, or -1. */
    long deliveredAfter(long nanos) {
        return firstAfter(deliveredAt, nanos);
    }

    private static long firstAfter(ConcurrentLinkedQueue<Long> times, long nanos) {
        for (long t : times) {
            if (t >= nanos) {
                return t;
            }
        }
        return -1;
    }
}
