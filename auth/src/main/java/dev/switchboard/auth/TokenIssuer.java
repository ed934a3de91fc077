package dev.switchboard.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Mints HS256 connection tokens (the {@code token} subcommand, dev mode and tests). */
public final class TokenIssuer {
    private final Algorithm algorithm;
    private final Clock clock;

    public TokenIssuer(String secret) {
        this(secret, Clock.systemUTC());
    }

    public TokenIssuer(String secret, Clock clock) {
        if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("an HS256 secret must be at least 32 bytes (256 bits)");
        }
        this.algorithm = Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    public String issue(String userId, String orgId, Duration ttl) {
        if (!Ids.isValid(userId) || !Ids.isValid(orgId)) {
            throw new IllegalArgumentException("user and org must be ids of 1-64 [A-Za-z0-9_.-]");
        }
        Instant now = clock.instant();
        return JWT.create().withSubject(userId).withClaim("org", orgId)
                .withIssuedAt(now).withExpiresAt(now.plus(ttl)).sign(algorithm);
    }
}
