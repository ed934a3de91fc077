package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Tokens an attacker would send: each is refused, with the reason the client is told. */
class TokenVerifierAttackTest {
    static final String SECRET = TokenVerifierTest.SECRET;
    static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    final TokenVerifier verifier = TokenVerifier.builder().hs256Secret(SECRET).build();

    static String payload(String sub, String org, long exp) {
        return "{\"sub\":\"" + sub + "\",\"org\":\"" + org + "\",\"exp\":" + exp + "}";
    }

    static long in(Duration d) {
        return Instant.now().plus(d).getEpochSecond();
    }

    TokenException.Reason refusal(TokenVerifier v, String token) {
        return assertThrows(TokenException.class, () -> v.verify(token)).reason();
    }

    @Test
    void refusesATokenWhosePayloadWasChanged() throws Exception {
        String token = Tokens.hs256(SECRET, HEADER, payload("u1", "acme", in(Duration.ofMinutes(5))));
        String[] parts = token.split("\\.");
        String admin = parts[0] + "." + Tokens.b64(payload("admin", "acme", in(Duration.ofMinutes(5)))) + "." + parts[2];
        assertEquals(TokenException.Reason.BAD_SIGNATURE, refusal(verifier, admin));
        assertEquals("u1", verifier.verify(token).userId());
    }

    @Test
    void refusesUnsignedTokens() {
        String p = payload("u1", "acme", in(Duration.ofMinutes(5)));
        for (String header : List.of("{\"alg\":\"none\"}", "{\"alg\":\"None\"}", "{\"alg\":\"NONE\"}", "{\"alg\":\"\"}", "{}", "{\"alg\":null}")) {
            for (String sig : List.of("", Tokens.b64(new byte[32]))) {
                assertEquals(TokenException.Reason.BAD_SIGNATURE, refusal(verifier, Tokens.b64(header) + "." + Tokens.b64(p) + "." + sig), header);
            }
            // Even "signed" with the right secret, a header naming another algorithm is refused.
            assertEquals(TokenException.Reason.BAD_SIGNATURE, refusal(verifier, Tokens.hs256(SECRET, header, p)), header);
        }
    }

    /** The classic confusion: an HS256 token whose secret is the RS256 public key, sent to a node that trusts that key. */
    @Test
    void refusesAnHmacSignedWithThePublicKey() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair pair = gen.generateKeyPair();
        TokenVerifier rsa = TokenVerifier.builder().rs256PublicKey((RSAPublicKey) pair.getPublic()).build();
        String p = payload("u1", "acme", in(Duration.ofMinutes(5)));
        String publicAsSecret = new String(pair.getPublic().getEncoded(), java.nio.charset.StandardCharsets.ISO_8859_1);
        String pem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        for (String secret : List.of(publicAsSecret, pem)) {
            assertEquals(TokenException.Reason.BAD_SIGNATURE, refusal(rsa, Tokens.hs256(secret, "{\"alg\":\"HS256\"}", p)));
            assertEquals(TokenException.Reason.BAD_SIGNATURE, refusal(rsa, Tokens.hs256(secret, "{\"alg\":\"RS256\"}", p)));
        }
        // And an RS256 token presented to a node with both kinds of key verifies by the RSA key only.
        TokenVerifier both = TokenVerifier.builder().hs256Secret(SECRET).rs256PublicKey((RSAPublicKey) pair.getPublic()).build();
        String input = Tokens.b64("{\"alg\":\"RS256\"}") + "." + Tokens.b64(p);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(pair.getPrivate());
        signer.update(input.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String rs = input + "." + Tokens.b64(signer.sign());
        assertEquals("u1", both.verify(rs).userId());
        assertEquals(TokenException.Reason.BAD_SIGNATURE, refusal(both, Tokens.signed(SECRET, input)));
        String truncated = rs.substring(0, rs.length() - 10);
        assertEquals(TokenException.Reason.BAD_SIGNATURE, refusal(both, truncated));
        assertEquals("u1", both.verify(rs).userId());  // a failed RSA check leaves the thread's engine usable
    }

    @Test
    void refusesExpiredAndNotYetValidTokens() {
        assertEquals(TokenException.Reason.EXPIRED,
                refusal(verifier, Tokens.hs256(SECRET, HEADER, payload("u1", "acme", in(Duration.ofSeconds(-6))))));
        String future = "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":" + in(Duration.ofHours(2)) + ",\"nbf\":" + in(Duration.ofHours(1)) + "}";
        TokenException e = assertThrows(TokenException.class, () -> verifier.verify(Tokens.hs256(SECRET, HEADER, future)));
        assertEquals(TokenException.Reason.MALFORMED, e.reason());
        assertEquals("invalid token: IncorrectClaimException", e.getMessage());
    }

    @Test
    void refusesMalformedBase64() {
        String token = Tokens.hs256(SECRET, HEADER, payload("u1", "acme", in(Duration.ofMinutes(5))));
        String[] parts = token.split("\\.");
        for (String bad : List.of(parts[0] + "!." + parts[1] + "." + parts[2], parts[0] + "." + parts[1] + "%3D." + parts[2],
                parts[0] + "=." + parts[1] + "." + parts[2], parts[0].replace('_', '/').replace('-', '+') + "x/+." + parts[1] + "." + parts[2],
                "A." + parts[1] + "." + parts[2], parts[0] + ".\u0000." + parts[2])) {
            assertEquals(TokenException.Reason.MALFORMED, refusal(verifier, bad), bad);
        }
        assertEquals(TokenException.Reason.BAD_SIGNATURE, refusal(verifier, parts[0] + "." + parts[1] + "." + parts[2] + "!"));
    }

    @Test
    void refusesClaimsOfTheWrongType() {
        long exp = in(Duration.ofMinutes(5));
        for (String p : List.of("{\"sub\":{\"id\":\"u1\"},\"org\":\"acme\",\"exp\":" + exp + "}", "{\"sub\":[\"u1\"],\"org\":\"acme\",\"exp\":" + exp + "}",
                "{\"sub\":\"u1\",\"org\":7,\"exp\":" + exp + "}", "{\"sub\":\"u1\",\"org\":[\"acme\"],\"exp\":" + exp + "}",
                "{\"sub\":null,\"org\":\"acme\",\"exp\":" + exp + "}", "{\"sub\":\"u1\",\"org\":\"acme\"}", "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":null}",
                "{\"sub\":\"../u1\",\"org\":\"acme\",\"exp\":" + exp + "}", "{\"sub\":\"u1\",\"org\":\"ac:me\",\"exp\":" + exp + "}")) {
            assertEquals(TokenException.Reason.BAD_CLAIMS, refusal(verifier, Tokens.hs256(SECRET, HEADER, p)), p);
        }
        for (String p : List.of("{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":\"" + exp + "\"}", "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":true}",
                "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":[" + exp + "]}", "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":1e999}",
                "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":99999999999999999999}", "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":" + exp + ",\"aud\":[{}]}",
                "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":" + exp + ",\"iat\":\"now\"}")) {
            assertEquals(TokenException.Reason.MALFORMED, refusal(verifier, Tokens.hs256(SECRET, HEADER, p)), p);
        }
        // A number as sub was read as its text by the library before, and still is (a numeric user id).
        assertEquals("42", assertDoesNotThrow("{\"sub\":42,\"org\":\"acme\",\"exp\":" + exp + "}").userId());
    }

    private Claims assertDoesNotThrow(String payload) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> verifier.verify(Tokens.hs256(SECRET, HEADER, payload)));
    }

    @Test
    void refusesHugeAndDeeplyNestedTokensWithoutKeepingThem() throws Exception {
        long exp = in(Duration.ofMinutes(5));
        String big = "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":" + exp + ",\"pad\":\"" + "x".repeat(1 << 20) + "\"}";
        // Signed: a huge token verifies like any other, through arrays of its own.
        assertEquals("u1", verifier.verify(Tokens.hs256(SECRET, HEADER, big)).userId());
        assertEquals(TokenException.Reason.BAD_SIGNATURE, refusal(verifier, Tokens.hs256(TokenVerifierTest.OTHER, HEADER, big)));
        String deep = "{\"sub\":\"u1\",\"org\":\"acme\",\"exp\":" + exp + ",\"x\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        assertEquals(TokenException.Reason.MALFORMED, refusal(verifier, Tokens.hs256(SECRET, HEADER, deep)));
        String deepObjects = "{\"x\":" + "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000) + "}";
        assertEquals(TokenException.Reason.MALFORMED, refusal(verifier, Tokens.hs256(SECRET, HEADER, deepObjects)));
        assertEquals(TokenException.Reason.MALFORMED, refusal(verifier, "a".repeat(1 << 20) + ".b.c"));
        assertEquals(TokenException.Reason.MALFORMED, refusal(verifier, ".".repeat(1 << 16)));
        String longSub = "{\"sub\":\"" + "a".repeat(100_000) + "\",\"org\":\"acme\",\"exp\":" + exp + "}";
        assertEquals(TokenException.Reason.BAD_CLAIMS, refusal(verifier, Tokens.hs256(SECRET, HEADER, longSub)));
        // The thread's buffers still serve ordinary tokens.
        assertEquals("u2", verifier.verify(Tokens.hs256(SECRET, HEADER, payload("u2", "acme", exp))).userId());
    }

    /** Each thread uses its own buffers and MAC: many threads at once each get their own user's claims. */
    @Test
    void verifiesOnManyThreadsAtOnce() throws Exception {
        TokenIssuer issuer = new TokenIssuer(SECRET);
        List<Callable<Boolean>> work = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            String user = "u" + t;
            String token = issuer.issue(user, "acme", Duration.ofMinutes(5));
            String forged = Tokens.hs256(TokenVerifierTest.OTHER, HEADER, payload(user, "acme", in(Duration.ofMinutes(5))));
            work.add(() -> {
                for (int i = 0; i < 2_000; i++) {
                    if (!verifier.verify(token).userId().equals(user)) {
                        return false;
                    }
                    try {
                        verifier.verify(forged);
                        return false;
                    } catch (TokenException e) {
                        if (e.reason() != TokenException.Reason.BAD_SIGNATURE) {
                            return false;
                        }
                    }
                }
                return true;
            });
        }
        for (ExecutorService pool : List.of(Executors.newFixedThreadPool(4), Executors.newVirtualThreadPerTaskExecutor())) {
            try (pool) {
                for (Future<Boolean> f : pool.invokeAll(work)) {
                    assertEquals(true, f.get());
                }
            }
        }
    }
}
