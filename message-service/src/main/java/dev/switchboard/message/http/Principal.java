package dev.switchboard.message.http;

import dev.switchboard.message.UserRef;

/**
 * Who made a request: a user (by JWT, or a trusted server acting for a user
 * through {@code X-Switchboard-User}/{@code X-Switchboard-Org}), or a server
 * acting for nobody ({@code user} null).
 */
record Principal(UserRef user, boolean server) {
    static Principal ofUser(UserRef user) {
        return new Principal(user, false);
    }

    static Principal ofServer(UserRef actingFor) {
        return new Principal(actingFor, true);
    }
}
