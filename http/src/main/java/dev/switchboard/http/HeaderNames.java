package dev.switchboard.http;

import io.netty.util.AsciiString;
import java.util.Arrays;
import java.util.Locale;

/**
 * The header names a WebSocket handshake, a browser and this project's clients send,
 * as constants the request decoder hands out instead of a new {@link AsciiString}
 * (and its copy of the bytes, and its hash computed again by the header map) per
 * header per request. A name is matched byte for byte, in the spelling browsers send
 * and in lower case, so the name a handler reads is the name that was sent; any other
 * name, or another spelling, is copied as Netty does. The header map still checks every
 * name, constant or not (skipping the constants saved no CPU that could be measured:
 * docs/benchmarks.md, "Handshake garbage: the head with fewer copies"). Immutable.
 */
final class HeaderNames {
    private static final int MAX_LENGTH = 32;
    /** Candidates by length, in the order listed. */
    private static final AsciiString[][] BY_LENGTH = byLength(
            "Upgrade", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions",
            "Sec-WebSocket-Protocol", "Origin", "User-Agent", "Authorization", "Accept-Encoding",
            "Accept-Language", "Cache-Control", "Pragma", "Cookie", "X-Api-Key", "X-Forwarded-For",
            "Transfer-Encoding", "Expect", "Referer", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-Dest",
            "Content-Type", "Content-Length", "Host", "Connection", "Accept");

    private HeaderNames() {
    }

    /** The constant for the name at {@code bytes[start, start + length)}, or null when it is none of them. */
    static AsciiString find(byte[] bytes, int start, int length) {
        if (length >= MAX_LENGTH) {
            return null;
        }
        AsciiString[] candidates = BY_LENGTH[length];
        if (candidates == null) {
            return null;
        }
        for (AsciiString c : candidates) {
            if (sameBytes(c, bytes, start, length)) {
                return c;
            }
        }
        return null;
    }

    private static boolean sameBytes(AsciiString name, byte[] bytes, int start, int length) {
        byte[] a = name.array();
        int off = name.arrayOffset();
        for (int i = 0; i < length; i++) {
            if (a[off + i] != bytes[start + i]) {
                return false;
            }
        }
        return true;
    }

    /** The names in the spelling given and in lower case. */
    private static AsciiString[][] byLength(String... names) {
        AsciiString[][] out = new AsciiString[MAX_LENGTH][];
        for (String n : names) {
            if (n.length() >= MAX_LENGTH) {
                throw new IllegalArgumentException("header name too long for the table: " + n);
            }
            add(out, AsciiString.cached(n));
            String lower = n.toLowerCase(Locale.ROOT);
            if (!lower.equals(n)) {
                add(out, AsciiString.cached(lower));
            }
        }
        return out;
    }

    private static void add(AsciiString[][] table, AsciiString name) {
        AsciiString[] old = table[name.length()];
        AsciiString[] grown = old == null ? new AsciiString[1] : Arrays.copyOf(old, old.length + 1);
        grown[grown.length - 1] = name;
        table[name.length()] = grown;
    }
}
