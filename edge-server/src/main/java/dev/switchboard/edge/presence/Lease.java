package dev.switchboard.edge.presence;

/**
 * One live session's presence lease: user {@code user} of {@code org}, held by
 * session {@code session} of node {@code node}. Its {@link #field()} is the
 * Redis hash field {@code <node>/<node>-<session>} (the format the
 * message-service reads, see its {@code PresenceKeys}); it is built when asked
 * for, so that a lease kept in memory costs no string of its own.
 */
public record Lease(String org, String user, String node, long session) {

    public String field() {
        return node + "/" + node + "-" + session;
    }

    /** The lease a {@link #field()} names, or null when {@code field} is not one. */
    public static Lease ofField(String org, String user, String field) {
        int slash = field.indexOf('/');
        int dash = field.lastIndexOf('-');
        if (slash <= 0 || dash <= slash) {
            return null;
        }
        String node = field.substring(0, slash);
        try {
            Lease l = new Lease(org, user, node, Long.parseLong(field.substring(dash + 1)));
            return l.field().equals(field) ? l : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
