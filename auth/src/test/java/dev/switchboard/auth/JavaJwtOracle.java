package dev.switchboard.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Clock;
import java.util.List;

/**
 * The verifier as it was before docs/adr/0017-lean-token-verification.md (java-jwt and Jackson), kept
 * as the oracle that {@link TokenVerifierParityTest} compares {@link TokenVerifier} with.
 */
final class JavaJwtOracle {
    private final List<JWTVerifier> verifiers;

    JavaJwtOracle(List<Algorithm> algorithms, Clock clock) {
        this.verifiers = algorithms.stream()
                .map(a -> ((JWTVerifier.BaseVerification) JWT.require(a).acceptLeeway(5)).build(clock))
                .toList();
    }

    /** The claims, or the refusal as "REASON: message", or "unchecked: ExceptionClass" for what escaped. */
    String outcome(String token) {
        try {
            Claims c = verify(token);
            return "ok " + c;
        } catch (TokenException e) {
            return e.reason() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            return "unchecked: " + e.getClass().getSimpleName();
        }
    }

    Claims verify(String token) throws TokenException {
        if (token == null || token.isBlank()) {
            throw new TokenException(TokenException.Reason.MISSING, "no token");
        }
        DecodedJWT decoded;
        try {
            decoded = JWT.decode(token);
        } catch (JWTDecodeException e) {
            throw new TokenException(TokenException.Reason.MALFORMED, "malformed token");
        }
        TokenException last = new TokenException(TokenException.Reason.BAD_SIGNATURE, "bad signature");
        for (JWTVerifier verifier : verifiers) {
            try {
                DecodedJWT verified = verifier.verify(decoded);
                return claims(verified);
            } catch (TokenExpiredException e) {
                throw new TokenException(TokenException.Reason.EXPIRED, "token expired");
            } catch (SignatureVerificationException | AlgorithmMismatchException e) {
                last = new TokenException(TokenException.Reason.BAD_SIGNATURE, "bad signature");
            } catch (RuntimeException e) {
                last = new TokenException(TokenException.Reason.MALFORMED, "invalid token: " + e.getClass().getSimpleName());
            }
        }
        throw last;
    }

    private static Claims claims(DecodedJWT jwt) throws TokenException {
        String sub = jwt.getSubject();
        String org = jwt.getClaim("org").asString();
        if (!Ids.isValid(sub) || !Ids.isValid(org)) {
            throw new TokenException(TokenException.Reason.BAD_CLAIMS, "sub and org must be ids of 1-64 [A-Za-z0-9_.-]");
        }
        if (jwt.getExpiresAtAsInstant() == null) {
            throw new TokenException(TokenException.Reason.BAD_CLAIMS, "exp is required");
        }
        return new Claims(sub, org, jwt.getExpiresAtAsInstant().toEpochMilli());
    }
}
