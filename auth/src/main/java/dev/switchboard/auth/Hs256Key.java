package dev.switchboard.auth;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An HS256 secret. Each thread keeps its own initialised {@link Mac} for it ({@link VerifyScratch#mac}):
 * {@code doFinal} leaves a Mac ready for the next token, so a check costs the HMAC alone. The computed
 * and the token's MACs are compared in constant time.
 */
record Hs256Key(SecretKeySpec secret) implements TokenKey {
    static final String ALGORITHM = "HmacSHA256";
    static final int MAC_BYTES = 32;

    static Hs256Key of(byte[] secret) {
        return new Hs256Key(new SecretKeySpec(secret, ALGORITHM));
    }

    @Override
    public int alg() {
        return TokenFields.HS256;
    }

    @Override
    public boolean verifies(VerifyScratch s, int index) {
        if (s.signatureLength != MAC_BYTES) {
            return false;
        }
        Mac mac = s.mac(index, this);
        mac.update(s.input, 0, s.inputLength);
        try {
            mac.doFinal(s.digest, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 writes 32 bytes", e);
        }
        int diff = 0;
        for (int i = 0; i < MAC_BYTES; i++) {
            diff |= s.digest[i] ^ s.signature[i];
        }
        return diff == 0;
    }

    Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }
}
