package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Base64Url} accepts and decodes exactly what the JDK's URL decoder does (what java-jwt used). */
class Base64UrlTest {
    @Test
    void decodesAsTheJdkDoes() {
        Random random = new Random(4648);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ .\u00e9\u0100";
        for (int i = 0; i < 100_000; i++) {
            int length = random.nextInt(12);
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < length; j++) {
                // Mostly the alphabet, padding now and then, another character rarely.
                int r = random.nextInt(100);
                s.append(r < 85 ? alphabet.charAt(random.nextInt(64)) : r < 97 ? '=' : alphabet.charAt(64 + random.nextInt(alphabet.length() - 64)));
            }
            check(s.toString());
        }
        for (String s : new String[] {"", "=", "==", "A", "A=", "AA", "AA=", "AA==", "AAA", "AAA=", "AAA==", "AAAA", "AAAA=", "AA==A", "AA=A",
                "AAAAAA==", "AAAAAAA=", "AAAAA", "QQ", "QR", "QR==", "_-_-", "+/+/"}) {
            check(s);
        }
    }

    private static void check(String s) {
        byte[] expected;
        try {
            expected = Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            expected = null;
        }
        String padded = "xx" + s + "yy";
        byte[] dst = new byte[Base64Url.maxDecodedLength(s.length())];
        int n = Base64Url.decode(padded, 2, 2 + s.length(), dst);
        if (expected == null) {
            assertEquals(-1, n, s);
        } else {
            assertArrayEquals(expected, Arrays.copyOf(dst, n), s);
        }
    }
}
