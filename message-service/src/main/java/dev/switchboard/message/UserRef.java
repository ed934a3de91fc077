package dev.switchboard.message;

import dev.switchboard.auth.Claims;
import dev.switchboard.auth.Ids;

/**
 * Who a user is: a user id is unique within its organisation only. Every
 * {@link ChatService} call names the acting user this way (from the JWT, or from
 * the trusted headers of a server call).
 */
public record UserRef(String org, String userId) {
    public UserRef {
        if (!Ids.isValid(org) || !Ids.isValid(userId)) {
            throw ChatException.badRequest("org and user id must be ids of 1-64 [A-Za-z0-9_.-]");
        }
    }

    public static UserRef of(Claims claims) {
        return new UserRef(claims.orgId(), claims.userId());
    }
}
