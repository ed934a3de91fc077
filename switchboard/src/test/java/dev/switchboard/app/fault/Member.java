package dev.switchboard.app.fault;

import dev.switchboard.app.Fleet;
import dev.switchboard.client.Endpoint;
import dev.switchboard.client.ReconnectingClient;
import dev.switchboard.wire.proto.ConnectResult;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;
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
 * One user's {@link ReconnectingClient} and everything its listener heard:
 * the sequences delivered per channel, in delivery order (duplicates kept, so
 * that a check can see them), and when each connection was established.
 * Lock-free, because the listener runs on client event loops.
 */
final class Member implements ReconnectingClient.Listener {
    final String user;
    private final Map<String, ConcurrentLinkedQueue<Long>> delivered = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> connectedAt = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> deliveredAt = new ConcurrentLinkedQueue<>();
    private final AtomicInteger mayHaveMissed = new AtomicInteger();
    ReconnectingClient client;

    Member(String user) {
        this.user = user;
    }

    /**
     * Users {@code u0..u<users-1>} of the roster's organisation, each a reconnecting client
     * (backoff 100 ms to 2 s) through {@code endpointOf.apply(i)}, all connected.
     */
    static List<Member> connectAll(Fleet fleet, Roster roster, int users, IntFunction<Endpoint> endpointOf) throws Exception {
        List<Member> members = new ArrayList<>();
        List<CompletableFuture<?>> connected = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            Member m = new Member("u" + i);
            m.client = ReconnectingClient.builder(endpointOf.apply(i), () -> fleet.token(m.user, roster.org), fleet.clients)
                    .listener(m).backoff(Duration.ofMillis(100), Duration.ofSeconds(2)).build();
            connected.add(m.client.start());
            members.add(m);
        }
        CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        return members;
    }

    @Override
    public void onPublication(Publication p) {
        delivered.computeIfAbsent(p.getChannel(), c -> new ConcurrentLinkedQueue<>()).add(p.getSeq());
        deliveredAt.add(System.nanoTime());
    }

    @Override
    public void onConnected(ConnectResult hello) {
        connectedAt.add(System.nanoTime());
    }

    @Override
    public void onPush(ServerFrame push) {
        if (push.hasMayHaveMissed()) {
            mayHaveMissed.incrementAndGet();
        }
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
