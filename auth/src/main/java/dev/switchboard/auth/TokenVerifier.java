package dev.switchboard.auth;

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
import java.util.Objects;

/**
 * Verifies connection tokens: JWTs signed with HS256 (shared secrets) or RS256
 * (public keys). Several keys may be valid at once so that keys can be rotated
 * without dropping anyone: a token is accepted if any key verifies it. The one
 * verifier of the fleet: the edge's upgrade and refresh and every HTTP surface use it.
 *
 * <p>Required claims: {@code sub} (user id), {@code org} (organisation id) and
 * {@code exp}; {@code exp}, {@code nbf} and {@code iat} are checked with 5 s of leeway.
 *
 * <p>Verification runs on every WebSocket upgrade, so it builds nothing but the
 * {@link Claims}: the compact token is decoded straight from its characters into
 * buffers the calling thread reuses, the JSON is read member by member for the claims
 * above without a tree, and each thread keeps its own initialised {@code Mac} per
 * secret (docs/adr/0017-lean-token-verification.md). It accepts and refuses what
 * java-jwt with Jackson did before, with the same reasons and messages (the ADR lists
 * the few malformed tokens now refused that were accepted). Thread-safe; a platform
 * thread keeps a few KB of buffers per verifier, a virtual thread none.
 */
public final class TokenVerifier {
    private static final long LEEWAY_SECONDS = 5;
    private static final String BAD_SIGNATURE = "bad signature";

    private final TokenKey[] keys;
    private final Clock clock;
    private final ThreadLocal<VerifyScratch> scratch;

    private TokenVerifier(List<TokenKey> keys, Clock clock) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one HS256 secret or RS256 public key is required");
        }
        this.keys = keys.toArray(new TokenKey[0]);
        this.clock = clock;
        int n = this.keys.length;
        this.scratch = ThreadLocal.withInitial(() -> new VerifyScratch(n));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Verifies {@code token} and returns its claims. */
    public Claims verify(String token) throws TokenException {
        return token == null ? verify("", 0, 0) : verify(token, 0, token.length());
    }

    /**
     * Verifies the token {@code text[from, to)} (e.g. the rest of an {@code Authorization} value), with the
     * answers of {@code verify(text.substring(from, to))} and without copying it.
     */
    public Claims verify(String text, int from, int to) throws TokenException {
        Objects.checkFromToIndex(from, to, text.length());
        if (isBlank(text, from, to)) {
            throw new TokenException(TokenException.Reason.MISSING, "no token");
        }
        int dot1 = text.indexOf('.', from, to);
        int dot2 = dot1 < 0 ? -1 : text.indexOf('.', dot1 + 1, to);
        if (dot2 < 0 || text.indexOf('.', dot2 + 1, to) >= 0) {
            throw JsonCursor.malformed();
        }
        // A virtual thread is short-lived: buffers kept for it would be garbage as soon, and a map entry more.
        VerifyScratch s = Thread.currentThread().isVirtual() ? new VerifyScratch(keys.length) : scratch.get();
        TokenFields fields = s.fields;
        byte[] decoded = s.decodeBuffer(dot1 - from);
        int n = Base64Url.decode(text, from, dot1, decoded);
        if (n < 0) {
            throw JsonCursor.malformed();
        }
        fields.readHeader(s.json, decoded, n);
        decoded = s.decodeBuffer(dot2 - dot1 - 1);
        n = Base64Url.decode(text, dot1 + 1, dot2, decoded);
        if (n < 0) {
            throw JsonCursor.malformed();
        }
        fields.readPayload(s.json, decoded, n);
        s.signingInput(text, from, dot2);
        s.signature(text, dot2 + 1, to);
        long now = Math.floorDiv(clock.millis(), 1000);
        // As java-jwt's verifiers did, one per key in turn: the last key's refusal is the answer, an expiry at once.
        TokenException last = null;
        for (int i = 0; i < keys.length; i++) {
            TokenKey key = keys[i];
            if (fields.nullHeader) {
                last = invalid("NullPointerException");
                continue;
            }
            if (key.alg() != fields.alg || !key.verifies(s, i)) {
                last = null;
                continue;
            }
            if (fields.nullPayload) {
                last = invalid("NullPointerException");
                continue;
            }
            if (fields.hasExp && !(now - LEEWAY_SECONDS < fields.exp)) {
                throw new TokenException(TokenException.Reason.EXPIRED, "token expired");
            }
            if (fields.hasNbf && now + LEEWAY_SECONDS < fields.nbf || fields.hasIat && now + LEEWAY_SECONDS < fields.iat) {
                last = invalid("IncorrectClaimException");
                continue;
            }
            if (fields.sub == null || fields.org == null) {
                throw new TokenException(TokenException.Reason.BAD_CLAIMS, "sub and org must be ids of 1-64 [A-Za-z0-9_.-]");
            }
            if (!fields.hasExp) {
                throw new TokenException(TokenException.Reason.BAD_CLAIMS, "exp is required");
            }
            if (fields.exp > Long.MAX_VALUE / 1000) {
                last = invalid("ArithmeticException");
                continue;
            }
            return new Claims(fields.sub, fields.org, fields.exp * 1000);
        }
        throw last != null ? last : new TokenException(TokenException.Reason.BAD_SIGNATURE, BAD_SIGNATURE);
    }

    /** {@link String#isBlank()} of {@code text[from, to)}. */
    private static boolean isBlank(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** What java-jwt's exception of that name, thrown by a claim check after the signature, was answered with. */
    private static TokenException invalid(String cause) {
        return new TokenException(TokenException.Reason.MALFORMED, "invalid token: " + cause);
    }

    /** Collects the keys; at least one is required. */
    public static final class Builder {
        private final List<TokenKey> keys = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        /** Accept HS256 tokens signed with this secret (at least 32 bytes). */
        public Builder hs256Secret(String secret) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < 32) {
                throw new IllegalArgumentException("an HS256 secret must be at least 32 bytes (256 bits)");
            }
            keys.add(Hs256Key.of(bytes));
            return this;
        }

        /** Accept RS256 tokens verified by this public key. */
        public Builder rs256PublicKey(RSAPublicKey key) {
            if (key == null) {
                throw new IllegalArgumentException("an RS256 public key is required");
            }
            keys.add(new Rs256Key(key));
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
            return new TokenVerifier(List.copyOf(keys), clock);
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
