package dev.switchboard.edge.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions per user, per IP address and per organisation on this node. A slot is
 * taken at the upgrade (refused with 429 over a limit) and given back when the
 * session closes. Limits of 0 are off, and nothing is counted for them. Node-local
 * by design: the balancer keeps an organisation's users together, so per-node
 * limits bound what one tenant or one client can hold on the node it is placed on.
 *
 * <p>Counts are kept small, one entry per connected user: users by organisation,
 * keyed by the user id string the session keeps anyway, with small counts as
 * cached {@code Integer}s. A count changes under its organisation's entry lock.
 */
public final class ConnectionLimits {
    private final int perUser;
    private final int perIp;
    private final int perOrg;
    private final ConcurrentHashMap<String, Map<String, Integer>> users = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> ips = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> orgs = new ConcurrentHashMap<>();

    public ConnectionLimits(int perUser, int perIp, int perOrg) {
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
        if (perUser <= 0) {
            return true;
        }
        boolean[] taken = {false};
        users.compute(org, (o, byUser) -> {
            Map<String, Integer> m = byUser != null ? byUser : new HashMap<>();
            int n = m.getOrDefault(user, 0);
            if (n < perUser) {
                m.put(user, n + 1);
                taken[0] = true;
            }
            return m.isEmpty() ? null : m;
        });
        return taken[0];
    }

    private void giveUser(String org, String user) {
        if (perUser <= 0) {
            return;
        }
        users.computeIfPresent(org, (o, m) -> {
            m.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
            return m.isEmpty() ? null : m;
        });
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
        int[] n = {0};
        users.computeIfPresent(org, (o, m) -> {
            n[0] = m.getOrDefault(user, 0);
            return m;
        });
        return n[0];
    }
}
