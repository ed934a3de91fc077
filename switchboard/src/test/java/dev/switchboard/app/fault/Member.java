package dev.switchboard.app.fault;

import dev.switchboard.client.ReconnectingClient;
import dev.switchboard.wire.proto.ConnectResult;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

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
