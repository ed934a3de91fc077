package dev.switchboard.edge.presence;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/** Presence of a single node (dev mode): the same lease semantics as Redis, in memory. */
public final class MemoryPresenceStore implements PresenceStore {
    private final Map<String, Map<String, Long>> leases = new HashMap<>();
    private final Clock clock;
    private final long ttlMs;

    public MemoryPresenceStore(Duration ttl) {
        this(ttl, Clock.systemUTC());
    }

    public MemoryPresenceStore(Duration ttl, Clock clock) {
        this.ttlMs = ttl.toMillis();
        this.clock = clock;
    }

    @Override
    public synchronized CompletableFuture<Boolean> opened(Lease lease) {
        long now = clock.millis();
        Map<String, Long> user = leases.computeIfAbsent(key(lease.org(), lease.user()), k -> new HashMap<>());
        user.put(lease.field(), now + ttlMs);
        return CompletableFuture.completedFuture(live(user, now) == 1);
    }

    @Override
    public synchronized CompletableFuture<Boolean> closed(Lease lease) {
        String key = key(lease.org(), lease.user());
        Map<String, Long> user = leases.get(key);
        if (user == null) {
            return CompletableFuture.completedFuture(false);
        }
        boolean had = user.remove(lease.field()) != null;
        int left = live(user, clock.millis());
        if (user.isEmpty()) {
            leases.remove(key);
        }
        return CompletableFuture.completedFuture(had && left == 0);
    }

    @Override
    public synchronized CompletableFuture<Void> renew(List<Lease> batch) {
        long expiry = clock.millis() + ttlMs;
        for (Lease l : batch) {
            Map<String, Long> user = leases.get(key(l.org(), l.user()));
            if (user != null && user.containsKey(l.field())) {
                user.put(l.field(), expiry);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Set<String>> online(String org, Collection<String> users) {
        long now = clock.millis();
        Set<String> online = new TreeSet<>();
        for (String u : users) {
            Map<String, Long> user = leases.get(key(org, u));
            if (user != null && live(user, now) > 0) {
                online.add(u);
            }
        }
        return CompletableFuture.completedFuture(online);
    }

    @Override
    public synchronized CompletableFuture<List<Lease>> reapExpired(int max) {
        long now = clock.millis();
        List<Lease> offline = new ArrayList<>();
        for (var it = leases.entrySet().iterator(); it.hasNext() && offline.size() < max; ) {
            var e = it.next();
            boolean removed = e.getValue().entrySet().removeIf(f -> f.getValue() <= now);
            if (removed && live(e.getValue(), now) == 0) {
                String[] ou = e.getKey().split("\u0000", 2);
                offline.add(new Lease(ou[0], ou[1], ""));
            }
            if (e.getValue().isEmpty()) {
                it.remove();
            }
        }
        return CompletableFuture.completedFuture(offline);
    }

    private static int live(Map<String, Long> user, long now) {
        int n = 0;
        for (long expiry : user.values()) {
            if (expiry > now) {
                n++;
            }
        }
        return n;
    }

    private static String key(String org, String user) {
        return org + "\u0000" + user;
    }

    @Override
    public void close() {
    }
}
