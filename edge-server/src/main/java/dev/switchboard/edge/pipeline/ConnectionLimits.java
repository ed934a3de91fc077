package dev.switchboard.edge.pipeline;

import dev.switchboard.edge.hub.LocalUsers;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions per user, per IP address and per organisation on this node. A slot is
 * taken at the upgrade (refused with 429 over a limit) and given back when the
 * session closes. Limits of 0 are off, and nothing is counted for them. Node-local
 * by design: the balancer keeps an organisation's users together, so per-node
 * limits bound what one tenant or one client can hold on the node it is placed on.
 *
 * <p>A user's count is a field of the node's record of the user ({@link LocalUsers}),
 * which the user's sessions share and which routes the user's personal channel: no
 * entry of its own per user (ADR 0015). Addresses and organisations are few; their
 * counts are cached {@code Integer}s.
 */
public final class ConnectionLimits {
    private final int perUser;
    private final int perIp;
    private final int perOrg;
    private final LocalUsers users;
    private final ConcurrentHashMap<String, Integer> ips = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> orgs = new ConcurrentHashMap<>();

    /** Limits that count users in a registry of their own (tests, benchmarks). */
    public ConnectionLimits(int perUser, int perIp, int perOrg) {
        this(new LocalUsers(null), perUser, perIp, perOrg);
    }

    /** Limits that count users in the node's records of them. */
    public ConnectionLimits(LocalUsers users, int perUser, int perIp, int perOrg) {
        this.users = users;
        this.perUser = perUser;
        this.perIp = perIp;
        this.perOrg = perOrg;
    }

    /** Takes a slot; returns null, or which limit refused it ({@code "user"}, {@code "ip"}, {@code "org"}). */
    public String tryAcquire(String org, String user, String ip) {
        if (!takeUser(org, user)) {
            return "user";
        }
        if (!take(ips, ip, perIp)) {
            giveUser(org, user);
            return "ip";
        }
        if (!take(orgs, org, perOrg)) {
            giveUser(org, user);
            give(ips, ip, perIp);
            return "org";
        }
        return null;
    }

    public void release(String org, String user, String ip) {
        giveUser(org, user);
        give(ips, ip, perIp);
        give(orgs, org, perOrg);
    }

    private boolean takeUser(String org, String user) {
        return perUser <= 0 || users.takeSlot(org, user, perUser);
    }

    private void giveUser(String org, String user) {
        if (perUser > 0) {
            users.releaseSlot(org, user);
        }
    }

    private static boolean take(ConcurrentHashMap<String, Integer> counts, String key, int limit) {
        if (limit <= 0) {
            return true;
        }
        boolean[] taken = {false};
        counts.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            taken[0] = now < limit;
            return taken[0] ? Integer.valueOf(now + 1) : n;
        });
        return taken[0];
    }

    private static void give(ConcurrentHashMap<String, Integer> counts, String key, int limit) {
        if (limit > 0) {
            // Removing at zero keeps the maps as small as the live sessions.
            counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    int sessionsOf(String org, String user) {
        return users.slots(org, user);
    }
}
