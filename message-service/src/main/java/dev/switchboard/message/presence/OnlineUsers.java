package dev.switchboard.message.presence;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Who has a live session right now, as the message-service needs it to decide
 * whether a member gets a push notification (a member with a live socket gets
 * the message over it instead). Implementations never block the caller: the
 * answer comes in the future. In production the edge nodes keep presence leases
 * in Redis ({@link RedisOnlineUsers}, key format in {@link PresenceKeys}); in
 * dev mode the edge updates an {@link InMemoryOnlineUsers} in-process.
 */
public interface OnlineUsers {
    /** Nobody is ever online: every member without a mute gets pushes (a service with no presence source). */
    OnlineUsers NONE = (org, userIds) -> CompletableFuture.completedFuture(Set.of());

    /** The subset of {@code userIds} (users of {@code org}) that hold at least one live session. */
    CompletableFuture<Set<String>> online(String org, Collection<String> userIds);

    /**
     * When each of {@code userIds} was last online: the end of their last presence lease. Users never seen
     * going offline are absent (a source that keeps no such times answers an empty map); a user online now
     * may have an entry from an earlier session, so ask {@link #online} too.
     */
    default CompletableFuture<Map<String, Instant>> lastSeen(String org, Collection<String> userIds) {
        return CompletableFuture.completedFuture(Map.of());
    }
}
