package dev.switchboard.auth;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAPublicKey;

/**
 * An RS256 public key. Each thread keeps its own {@link Signature} initialised for it
 * ({@link VerifyScratch#rsa}); a verification leaves it ready for the next, and one that fails with an
 * exception drops it, as its state is then unspecified.
 */
record Rs256Key(RSAPublicKey key) implements TokenKey {
    static final String ALGORITHM = "SHA256withRSA";

    @Override
    public int alg() {
        return TokenFields.RS256;
    }

    @Override
    public boolean verifies(VerifyScratch s, int index) {
        if (s.signatureLength < 0) {
            return false;
        }
        try {
            Signature rsa = s.rsa(index, this);
            rsa.update(s.input, 0, s.inputLength);
            return rsa.verify(s.signature, 0, s.signatureLength);
        } catch (SignatureException | RuntimeException e) {
            s.dropRsa(index);
            return false;
        }
    }

    Signature newSignature() {
        try {
            Signature rsa = Signature.getInstance(ALGORITHM);
            rsa.initVerify(key);
            return rsa;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA256withRSA with this key is not available", e);
        }
    }
}
