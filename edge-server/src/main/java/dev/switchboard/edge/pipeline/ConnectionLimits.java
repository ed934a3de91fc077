package dev.switchboard.edge.pipeline;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sessions per user, per IP address and per organisation on this node. A slot is
 * taken at the upgrade (refused with 429 over a limit) and given back when the
 * session closes. Limits of 0 are off. Node-local by design: the balancer keeps
 * an organisation's users together, so per-node limits bound what one tenant or
 * one client can hold on the node it is placed on.
 */
public final class ConnectionLimits {
    private final int perUser;
    private final int perIp;
    private final int perOrg;
    private final ConcurrentHashMap<String, AtomicInteger> users = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> ips = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> orgs = new ConcurrentHashMap<>();

    public ConnectionLimits(int perUser, int perIp, int perOrg) {
        this.perUser = perUser;
        this.perIp = perIp;
        this.perOrg = perOrg;
    }

    /** Takes a slot; returns null, or which limit refused it ({@code "user"}, {@code "ip"}, {@code "org"}). */
    public String tryAcquire(String org, String user, String ip) {
        if (!take(users, org + "/" + user, perUser)) {
            return "user";
        }
        if (!take(ips, ip, perIp)) {
            give(users, org + "/" + user);
            return "ip";
        }
        if (!take(orgs, org, perOrg)) {
            give(users, org + "/" + user);
            give(ips, ip);
            return "org";
        }
        return null;
    }

    public void release(String org, String user, String ip) {
        give(users, org + "/" + user);
        give(ips, ip);
        give(orgs, org);
    }

    private static boolean take(ConcurrentHashMap<String, AtomicInteger> counts, String key, int limit) {
        AtomicInteger n = counts.computeIfAbsent(key, k -> new AtomicInteger());
        if (n.incrementAndGet() > limit && limit > 0) {
            give(counts, key);
            return false;
        }
        return true;
    }

    private static void give(ConcurrentHashMap<String, AtomicInteger> counts, String key) {
        // Removing at zero keeps the maps as small as the live sessions.
        counts.computeIfPresent(key, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    int sessionsOf(String org, String user) {
        AtomicInteger n = users.get(org + "/" + user);
        return n == null ? 0 : n.get();
    }
}
