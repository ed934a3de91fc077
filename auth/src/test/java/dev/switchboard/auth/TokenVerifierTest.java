package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVerifierTest {
    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final String OTHER = "fedcba9876543210fedcba9876543210";

    @Test
    void acceptsTokenFromIssuer() throws Exception {
        String token = new TokenIssuer(SECRET).issue("u1", "acme", Duration.ofMinutes(5));
        Claims c = TokenVerifier.builder().hs256Secret(SECRET).build().verify(token);
        assertEquals("u1", c.userId());
        assertEquals("acme", c.orgId());
        assertTrue(c.expiresAtMs() > System.currentTimeMillis());
    }

    @Test
    void rejectsForgedExpiredMissingAndMalformed() {
        TokenVerifier v = TokenVerifier.builder().hs256Secret(SECRET).build();
        String forged = new TokenIssuer(OTHER).issue("u1", "acme", Duration.ofMinutes(5));
        assertEquals(TokenException.Reason.BAD_SIGNATURE, assertThrows(TokenException.class, () -> v.verify(forged)).reason());
        String expired = new TokenIssuer(SECRET).issue("u1", "acme", Duration.ofMinutes(-5));
        assertEquals(TokenException.Reason.EXPIRED, assertThrows(TokenException.class, () -> v.verify(expired)).reason());
        assertEquals(TokenException.Reason.MISSING, assertThrows(TokenException.class, () -> v.verify("")).reason());
        assertEquals(TokenException.Reason.MALFORMED, assertThrows(TokenException.class, () -> v.verify("a.b.c")).reason());
    }

    @Test
    void requiresOrgAndExpiry() {
        TokenVerifier v = TokenVerifier.builder().hs256Secret(SECRET).build();
        Algorithm hs = Algorithm.HMAC256(SECRET);
        String noOrg = JWT.create().withSubject("u1").withExpiresAt(Instant.now().plusSeconds(60)).sign(hs);
        String noExp = JWT.create().withSubject("u1").withClaim("org", "acme").sign(hs);
        String badId = JWT.create().withSubject("u/1").withClaim("org", "acme").withExpiresAt(Instant.now().plusSeconds(60)).sign(hs);
        for (String t : List.of(noOrg, noExp, badId)) {
            assertEquals(TokenException.Reason.BAD_CLAIMS, assertThrows(TokenException.class, () -> v.verify(t)).reason());
        }
    }

    @Test
    void acceptsEitherKeyDuringRotation() throws Exception {
        TokenVerifier v = TokenVerifier.builder().hs256Secret(SECRET).hs256Secret(OTHER).build();
        assertEquals("u1", v.verify(new TokenIssuer(SECRET).issue("u1", "o", Duration.ofMinutes(1))).userId());
        assertEquals("u2", v.verify(new TokenIssuer(OTHER).issue("u2", "o", Duration.ofMinutes(1))).userId());
    }

    @Test
    void verifiesRs256WithPemPublicKey(@TempDir Path dir) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair pair = gen.generateKeyPair();
        Path pem = dir.resolve("pub.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        TokenVerifier v = TokenVerifier.builder().rs256PublicKeyFile(pem).build();
        String token = JWT.create().withSubject("u9").withClaim("org", "acme").withExpiresAt(Instant.now().plusSeconds(60))
                .sign(Algorithm.RSA256((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate()));
        assertEquals("u9", v.verify(token).userId());
        String hsToken = new TokenIssuer(SECRET).issue("u1", "acme", Duration.ofMinutes(1));
        assertThrows(TokenException.class, () -> v.verify(hsToken));
    }

    @Test
    void apiKeysCompareAllKeys() {
        ApiKeys keys = new ApiKeys(List.of("key-one-0123456789", "key-two-0123456789"));
        assertTrue(keys.accepts("key-two-0123456789"));
        assertFalse(keys.accepts("key-three-01234567"));
        assertFalse(keys.accepts(null));
    }
}
