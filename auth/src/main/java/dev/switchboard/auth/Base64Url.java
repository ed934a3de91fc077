package dev.switchboard.auth;

/**
 * Base64url (RFC 4648 §5) decoding of a range of a token's characters straight into a caller's buffer: no
 * copy of the range, no array per call. Accepts exactly what {@code Base64.getUrlDecoder().decode(String)}
 * accepts (what the token library used before, so the same tokens decode): padding optional, but when
 * present it must complete its unit ({@code xx==}, {@code xxx=}) and end the input; a dangling single
 * character, any character outside the alphabet or anything after the padding is refused.
 */
final class Base64Url {
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    private Base64Url() {
    }

    /** The most bytes {@code chars} characters can decode to. */
    static int maxDecodedLength(int chars) {
        return chars / 4 * 3 + 2;
    }

    /**
     * Decodes {@code s[from, to)} into {@code dst} from index 0 ({@code dst} holds at least
     * {@link #maxDecodedLength} bytes); returns the number of bytes, or -1 if the range is not base64url.
     */
    static int decode(String s, int from, int to, byte[] dst) {
        int bits = 0;
        int shift = 18;
        int n = 0;
        int i = from;
        while (i < to) {
            char c = s.charAt(i++);
            int v = c < 128 ? VALUES[c] : -1;
            if (v < 0) {
                if (c != '=') {
                    return -1;
                }
                // "=" after 0 or 1 characters of a unit, or "xx=" not followed by a second "=": refused.
                if (shift == 18 || shift == 12 || shift == 6 && (i == to || s.charAt(i++) != '=')) {
                    return -1;
                }
                break;
            }
            bits |= v << shift;
            shift -= 6;
            if (shift < 0) {
                dst[n++] = (byte) (bits >> 16);
                dst[n++] = (byte) (bits >> 8);
                dst[n++] = (byte) bits;
                shift = 18;
                bits = 0;
            }
        }
        if (shift == 6) {
            dst[n++] = (byte) (bits >> 16);
        } else if (shift == 0) {
            dst[n++] = (byte) (bits >> 16);
            dst[n++] = (byte) (bits >> 8);
        } else if (shift == 12) {
            return -1;
        }
        return i == to ? n : -1;
    }
}
