package dev.switchboard.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hand-made tokens for tests: any header and payload text, signed with HS256 (or not at all). */
final class Tokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    static String b64(String text) {
        return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    /** {@code header.payload} (base64url of each) signed with HS256 under {@code secret}. */
    static String hs256(String secret, String header, String payload) {
        return signed(secret, b64(header) + "." + b64(payload));
    }

    /** {@code signingInput} (already encoded) with its HS256 signature appended. */
    static String signed(String secret, String signingInput) {
        return signingInput + "." + b64(hmac(secret, signingInput));
    }

    static byte[] hmac(String secret, String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
