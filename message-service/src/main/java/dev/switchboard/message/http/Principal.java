package dev.switchboard.message.http;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.message.UserRef;

/**
 * Who made a request: a user by JWT ({@code key} null), or a server by its key,
 * acting for a user of an organisation the key may act in (through
 * {@code X-Switchboard-User}/{@code X-Switchboard-Org}) or for nobody
 * ({@code user} null). {@link dev.switchboard.auth.ServerPrincipal} decides which.
 */
record Principal(UserRef user, ApiKeys.Key key) {
    static Principal ofUser(UserRef user) {
        return new Principal(user, null);
    }

    static Principal ofServer(ApiKeys.Key key, UserRef actingFor) {
        return new Principal(actingFor, key);
    }

    boolean server() {
        return key != null;
    }
}
