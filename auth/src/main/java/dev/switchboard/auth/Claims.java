package dev.switchboard.auth;

import java.util.Objects;

/**
 * What a verified connection token says: who the user is, which organisation
 * they belong to, and when the token stops being valid.
 *
 * @param userId      the {@code sub} claim
 * @param orgId       the {@code org} claim
 * @param expiresAtMs the {@code exp} claim in epoch milliseconds
 */
public record Claims(String userId, String orgId, long expiresAtMs) {
    public Claims {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(orgId, "orgId");
    }
}
