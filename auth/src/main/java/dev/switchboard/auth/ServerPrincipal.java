package dev.switchboard.auth;

import java.util.Objects;

/**
 * Who a server call is: the key that made it and the user it acts for (both null
 * when it acts for nobody). The one rule of which key may act where, for every
 * surface that takes keys (the message-service's REST API, the edge's server API,
 * the balancer): an organisation key acts in its organisation only, a platform key
 * anywhere, and the internal credential relays users' calls and nothing else. CPU
 * only; refusals are {@link KeyScopeException}s that each surface turns into its answer.
 */
public record ServerPrincipal(ApiKeys.Key key, String org, String user) {
    public ServerPrincipal {
        Objects.requireNonNull(key, "key");
        if ((org == null) != (user == null)) {
            throw new IllegalArgumentException("org and user go together");
        }
    }

    /**
     * The principal of a call made with {@code key} that asks to act for {@code user}
     * of {@code org} (both null: for nobody). {@code orgHeader} and {@code userHeader}
     * name the fields in refusals.
     */
    public static ServerPrincipal resolve(ApiKeys.Key key, String org, String user, String orgHeader, String userHeader) {
        if (org == null && user == null) {
            if (key.isInternal()) {
                throw new KeyScopeException(true, "the internal credential only relays a user's call: "
                        + userHeader + " and " + orgHeader + " are required");
            }
            return new ServerPrincipal(key, null, null);
        }
        if (org == null || user == null) {
            throw new KeyScopeException(false, userHeader + " and " + orgHeader + " go together");
        }
        requireOrg(key, org);
        return new ServerPrincipal(key, org, user);
    }

    /** Refuses unless {@code key} may act in {@code org}. */
    public static void requireOrg(ApiKeys.Key key, String org) {
        if (!key.allows(org)) {
            throw new KeyScopeException(true, "this key belongs to organisation " + key.org()
                    + " and cannot act in organisation " + org);
        }
    }

    /** Refuses unless {@code key} is a platform key: for what belongs to no one organisation ({@code what}). */
    public static void requirePlatform(ApiKeys.Key key, String what) {
        if (!key.isPlatform()) {
            throw new KeyScopeException(true, what + " needs a platform key (this is " + key.describe() + ")");
        }
    }

    /** Whether the call acts for a user. */
    public boolean actsForUser() {
        return user != null;
    }

    /** Refuses unless this principal may act in {@code org} (a call that acts for nobody names the organisation itself). */
    public void requireOrg(String org) {
        requireOrg(key, org);
    }
}
