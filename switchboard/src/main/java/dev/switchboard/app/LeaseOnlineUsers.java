package dev.switchboard.app;

import dev.switchboard.edge.presence.PresenceStore;
import dev.switchboard.message.presence.OnlineUsers;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The message-service's view of presence in one JVM (dev mode): who is online and when
 * the others were last seen, read from the edge's own presence store, so mentions of
 * {@code @here}, pushes and the members list agree with the edge's presence frames.
 */
final class LeaseOnlineUsers implements OnlineUsers {
    private final PresenceStore store;

    LeaseOnlineUsers(PresenceStore store) {
        this.store = store;
    }

    @Override
    public CompletableFuture<Set<String>> online(String org, Collection<String> userIds) {
        return store.online(org, userIds);
    }

    @Override
    public CompletableFuture<Map<String, Instant>> lastSeen(String org, Collection<String> userIds) {
        return store.lastSeen(org, userIds).thenApply(millis -> {
            Map<String, Instant> out = new HashMap<>();
            millis.forEach((user, at) -> out.put(user, Instant.ofEpochMilli(at)));
            return out;
        });
    }
}
