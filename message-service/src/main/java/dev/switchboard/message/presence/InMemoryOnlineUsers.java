package dev.switchboard.message.presence;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence for one JVM (dev mode): the edge calls {@link #markOnline} when a
 * session authenticates and {@link #markOffline} when it closes, from any thread.
 * A user is online while they hold at least one session. Lock-free reads; a
 * user's entry is removed with their last session, so the map holds online users only;
 * that moment is kept as the user's "last seen".
 */
public final class InMemoryOnlineUsers implements OnlineUsers {
    private final ConcurrentHashMap<UserKey, Set<String>> sessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UserKey, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryOnlineUsers() {
        this(Clock.systemUTC());
    }

    /** {@code clock} times the moment a user's last session closes (their "last seen"). */
    public InMemoryOnlineUsers(Clock clock) {
        this.clock = clock;
    }

    /** Records a live session ({@code sessionKey}: anything unique to it); repeating it changes nothing. */
    public void markOnline(String org, String userId, String sessionKey) {
        Objects.requireNonNull(sessionKey, "sessionKey");
        sessions.compute(new UserKey(org, userId), (k, set) -> {
            Set<String> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(sessionKey);
            return s;
        });
    }

    /** Forgets a session; the user goes offline with their last one. Unknown sessions are ignored. */
    public void markOffline(String org, String userId, String sessionKey) {
        sessions.computeIfPresent(new UserKey(org, userId), (k, set) -> {
            if (set.remove(sessionKey) && set.isEmpty()) {
                lastSeen.put(k, clock.instant());
                return null;
            }
            return set.isEmpty() ? null : set;
        });
    }

    public boolean isOnline(String org, String userId) {
        return sessions.containsKey(new UserKey(org, userId));
    }

    @Override
    public CompletableFuture<Set<String>> online(String org, Collection<String> userIds) {
        Set<String> out = new HashSet<>();
        for (String u : userIds) {
            if (isOnline(org, u)) {
                out.add(u);
            }
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletableFuture<Map<String, Instant>> lastSeen(String org, Collection<String> userIds) {
        Map<String, Instant> out = new HashMap<>();
        for (String u : userIds) {
            Instant at = lastSeen.get(new UserKey(org, u));
            if (at != null) {
                out.put(u, at);
            }
        }
        return CompletableFuture.completedFuture(out);
    }

    private record UserKey(String org, String userId) {
        UserKey {
            Objects.requireNonNull(org, "org");
            Objects.requireNonNull(userId, "userId");
        }
    }
}
