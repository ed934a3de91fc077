package dev.switchboard.auth;

import java.security.Signature;
import javax.crypto.Mac;

/**
 * What verifying a token needs and one thread reuses from token to token ({@link TokenVerifier} keeps one
 * per platform thread): buffers for the decoded header, payload and signature and for the signing input,
 * the JSON cursor, the fields read, and this thread's MAC or signature engine of each key. A token larger
 * than the buffers is decoded into arrays of its own, so that one huge token does not grow what a thread
 * keeps. Confined to its thread; never shared.
 */
final class VerifyScratch {
    /** Tokens up to about this many characters are verified without an array of their own. */
    static final int TOKEN_CHARS = 2048;

    final JsonCursor json = new JsonCursor();
    final TokenFields fields = new TokenFields();
    final byte[] digest = new byte[Hs256Key.MAC_BYTES];
    private final byte[] ownInput = new byte[TOKEN_CHARS];
    private final byte[] ownDecoded = new byte[Base64Url.maxDecodedLength(TOKEN_CHARS)];
    private final byte[] ownSignature = new byte[Base64Url.maxDecodedLength(1400)];
    private final Mac[] macs;
    private final Signature[] signatures;

    /** The signing input (the token up to its second dot, ASCII) and its length. */
    byte[] input;
    int inputLength;
    /** The decoded signature and its length; -1 when the signature is not base64url. */
    byte[] signature;
    int signatureLength;

    VerifyScratch(int keys) {
        macs = new Mac[keys];
        signatures = new Signature[keys];
    }

    /** A buffer for {@code chars} base64url characters' worth of header or payload. */
    byte[] decodeBuffer(int chars) {
        int need = Base64Url.maxDecodedLength(chars);
        return need <= ownDecoded.length ? ownDecoded : new byte[need];
    }

    /** Copies {@code text[from, end)} (base64url and one dot: ASCII) into {@link #input}. */
    void signingInput(String text, int from, int end) {
        int length = end - from;
        input = length <= ownInput.length ? ownInput : new byte[length];
        for (int i = 0; i < length; i++) {
            input[i] = (byte) text.charAt(from + i);
        }
        inputLength = length;
    }

    /** Decodes the signature {@code text[from, to)} into {@link #signature}. */
    void signature(String text, int from, int to) {
        int need = Base64Url.maxDecodedLength(to - from);
        signature = need <= ownSignature.length ? ownSignature : new byte[need];
        signatureLength = Base64Url.decode(text, from, to, signature);
    }

    Mac mac(int index, Hs256Key key) {
        Mac mac = macs[index];
        if (mac == null) {
            mac = key.newMac();
            macs[index] = mac;
        }
        return mac;
    }

    Signature rsa(int index, Rs256Key key) {
        Signature rsa = signatures[index];
        if (rsa == null) {
            rsa = key.newSignature();
            signatures[index] = rsa;
        }
        return rsa;
    }

    void dropRsa(int index) {
        signatures[index] = null;
    }
}
