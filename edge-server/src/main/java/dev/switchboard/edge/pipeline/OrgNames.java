package dev.switchboard.edge.pipeline;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets the sessions of one organisation share one string for its id instead of
 * the copy each token parse makes (40-72 B per session with compact headers, 2-4%
 * of an idle connection, which also keeps presence leases and connection counts
 * from holding copies). Organisation ids come from tokens, which their issuer
 * chooses, so the table is bounded: when it holds {@link #MAX} names it starts
 * over. An issuer cycling through new organisations costs only re-interning,
 * and sessions keep the strings they have. Thread-safe (upgrades run on every
 * event loop).
 */
final class OrgNames {
    static final int MAX = 4096;

    private final ConcurrentHashMap<String, String> names = new ConcurrentHashMap<>();

    /** The shared string equal to {@code org}. */
    String intern(String org) {
        String known = names.get(org);
        if (known != null) {
            return known;
        }
        if (names.size() >= MAX) {
            names.clear();
        }
        known = names.putIfAbsent(org, org);
        return known != null ? known : org;
    }

    int size() {
        return names.size();
    }
}
