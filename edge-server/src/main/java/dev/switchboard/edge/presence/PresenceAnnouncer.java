package dev.switchboard.edge.presence;

import dev.switchboard.bridge.Broker;
import dev.switchboard.wire.proto.PresenceChange;
import dev.switchboard.wire.proto.PresenceChanges;
import dev.switchboard.wire.proto.ServerFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces presence changes per channel: changes announced within one window
 * leave as one {@code PresenceChanges} frame per channel, so a node whose
 * 20,000 users go offline at once sends a handful of frames per channel, not a
 * storm. A user who flaps within the window is announced once, with the last state.
 */
final class PresenceAnnouncer {
    private static final Logger log = LoggerFactory.getLogger(PresenceAnnouncer.class);

    private final Broker broker;
    private Map<String, Map<String, Boolean>> pending = new HashMap<>();

    PresenceAnnouncer(Broker broker) {
        this.broker = broker;
    }

    synchronized void announce(String user, boolean online, Iterable<String> channels) {
        for (String channel : channels) {
            pending.computeIfAbsent(channel, c -> new HashMap<>()).put(user, online);
        }
    }

    /** Publishes what accumulated since the last flush; called by one timer. */
    void flush() {
        Map<String, Map<String, Boolean>> batch;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            batch = pending;
            pending = new HashMap<>();
        }
        for (var e : batch.entrySet()) {
            List<PresenceChange> changes = new ArrayList<>(e.getValue().size());
            e.getValue().forEach((user, online) -> changes.add(PresenceChange.newBuilder()
                    .setUserId(user).setOnline(online).setChannel(e.getKey()).build()));
            byte[] frame = ServerFrame.newBuilder().setPresenceChanges(PresenceChanges.newBuilder()
                    .setChannel(e.getKey()).addAllChanges(changes)).build().toByteArray();
            broker.publish(e.getKey(), frame).whenComplete((v, err) -> {
                if (err != null) {
                    log.debug("presence changes on {} not published: {}", e.getKey(), err.toString());
                }
            });
        }
    }
}
