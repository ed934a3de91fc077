package dev.switchboard.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Verifies connection tokens: JWTs signed with HS256 (shared secrets) or RS256
 * (public keys). Several keys may be valid at once so that keys can be rotated
 * without dropping anyone: a token is accepted if any key verifies it.
 *
 * <p>Required claims: {@code sub} (user id), {@code org} (organisation id) and
 * {@code exp}. Immutable and thread-safe.
 */
public final class TokenVerifier {
    private static final long LEEWAY_SECONDS = 5;

    private final List<JWTVerifier> verifiers;

    private TokenVerifier(List<Algorithm> algorithms, Clock clock) {
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one HS256 secret or RS256 public key is required");
        }
        this.verifiers = algorithms.stream()
                .map(a -> ((JWTVerifier.BaseVerification) JWT.require(a).acceptLeeway(LEEWAY_SECONDS)).build(clock))
                .toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Verifies {@code token} and returns its claims. */
    public Claims verify(String token) throws TokenException {
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

    /** Collects the keys; at least one is required. */
    public static final class Builder {
        private final List<Algorithm> algorithms = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        /** Accept HS256 tokens signed with this secret (at least 32 bytes). */
        public Builder hs256Secret(String secret) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < 32) {
                throw new IllegalArgumentException("an HS256 secret must be at least 32 bytes (256 bits)");
            }
            algorithms.add(Algorithm.HMAC256(bytes));
            return this;
        }

        /** Accept RS256 tokens verified by this public key. */
        public Builder rs256PublicKey(RSAPublicKey key) {
            algorithms.add(Algorithm.RSA256(key, null));
            return this;
        }

        /** Accept RS256 tokens verified by the PEM ("BEGIN PUBLIC KEY") or DER public key in this file. */
        public Builder rs256PublicKeyFile(Path file) throws IOException {
            return rs256PublicKey(readPublicKey(Files.readAllBytes(file)));
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public TokenVerifier build() {
            return new TokenVerifier(algorithms, clock);
        }
    }

    static RSAPublicKey readPublicKey(byte[] content) throws IOException {
        String text = new String(content, StandardCharsets.US_ASCII);
        byte[] der = content;
        if (text.contains("-----BEGIN")) {
            String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            der = Base64.getDecoder().decode(base64);
        }
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (Exception e) {
            throw new IOException("not an RSA public key (X.509 SubjectPublicKeyInfo, PEM or DER): " + e.getMessage(), e);
        }
    }
}
