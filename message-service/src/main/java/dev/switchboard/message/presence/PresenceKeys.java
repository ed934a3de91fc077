package dev.switchboard.message.presence;

import java.time.Duration;

/**
 * The Redis presence lease format, shared by the edge nodes that write leases and
 * the message-service that reads them ({@link RedisOnlineUsers}).
 *
 * <p>One hash per online user: key {@code sb:presence:<org>:<user>}, one field per
 * live session, named {@code <nodeId>/<sessionId>} (any string unique to the
 * session), whose value is the lease's expiry as epoch milliseconds in decimal.
 * A node renews its sessions' fields well before they expire (every
 * {@link #DEFAULT_RENEW_INTERVAL}, to {@code now + }{@link #DEFAULT_LEASE_TTL}),
 * sets the key's own TTL to at least the latest expiry ({@code PEXPIRE}), and
 * deletes its field ({@code HDEL}) when the session closes. A user is online when
 * any field's value lies in the future: a node that dies stops renewing, and its
 * fields count as expired even while another node keeps the key alive. Org and
 * user ids are {@code [A-Za-z0-9_.-]}, so the colons are unambiguous.
 *
 * <p>"Last seen": one hash per organisation, key {@code sb:presence:seen|<org>} (no
 * user's hash has a '|'), field the user id, value epoch milliseconds in decimal:
 * when the user's last live lease ended. The node that closes a user's last session
 * writes the closing time; the node that reaps the expired lease of a node that died
 * writes that lease's last renewal (its expiry less the lease TTL).
 */
public final class PresenceKeys {
    public static final String PREFIX = "sb:presence:";
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RENEW_INTERVAL = Duration.ofSeconds(10);

    private PresenceKeys() {
    }

    /** The hash of one user's sessions. */
    public static String key(String org, String userId) {
        return PREFIX + org + ":" + userId;
    }

    /** The hash of when the users of {@code org} were last online. */
    public static String lastSeenKey(String org) {
        return PREFIX + "seen|" + org;
    }

    /** The field of one session: {@code <nodeId>/<sessionId>}. */
    public static String field(String nodeId, String sessionId) {
        return nodeId + "/" + sessionId;
    }

    /** Whether a lease value (epoch millis) is still live at {@code nowMillis}; an unreadable value is not. */
    public static boolean isLive(String value, long nowMillis) {
        try {
            return value != null && Long.parseLong(value) > nowMillis;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
