package dev.switchboard.balancer;

import java.util.Map;

/** How much of a workload moves between two layouts: organisations whose nodes changed, and users who changed node. */
record Churn(int movedOrgs, int orgs, long movedUsers, long users) {
    static Churn between(Layout before, Layout after, Map<String, Integer> sizes) {
        int moved = 0;
        long movedUsers = 0;
        for (String org : sizes.keySet()) {
            Map<String, Integer> a = before.orgs().get(org);
            Map<String, Integer> b = after.orgs().get(org);
            if (!a.equals(b)) {
                moved++;
            }
            // Users who stay: on a node present in both, up to the smaller count.
            long stay = 0;
            for (Map.Entry<String, Integer> e : a.entrySet()) {
                stay += Math.min(e.getValue(), b.getOrDefault(e.getKey(), 0));
            }
            movedUsers += sizes.get(org) - stay;
        }
        long users = sizes.values().stream().mapToLong(Integer::longValue).sum();
        return new Churn(moved, sizes.size(), movedUsers, users);
    }

    double orgShare() {
        return (double) movedOrgs / orgs;
    }

    double userShare() {
        return (double) movedUsers / users;
    }

    @Override
    public String toString() {
        return String.format("%d/%d orgs (%.1f%%), %d/%d users (%.1f%%)", movedOrgs, orgs, 100 * orgShare(),
                movedUsers, users, 100 * userShare());
    }
}
