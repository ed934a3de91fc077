package dev.switchboard.loadgen.protocol;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;

/**
 * The test payloads: each carries the wall-clock microsecond at which it was
 * intended to be sent, which the receiver subtracts from its own clock.
 * Binary payloads (Switchboard) start with the timestamp as 8 big-endian
 * bytes; JSON payloads (Pusher, chat) carry it as {@code "sbts":<micros>}.
 */
public final class Payloads {
    /** The JSON key of the timestamp; unusual enough not to collide with other keys. */
    public static final String JSON_KEY = "sbts";
    private static final byte[] KEY = ("\"" + JSON_KEY).getBytes(StandardCharsets.US_ASCII);

    private Payloads() {
    }

    /** A binary payload of {@code size} bytes (at least 8) with room for the timestamp at offset 0. */
    public static byte[] binary(int size) {
        if (size < Long.BYTES) {
            throw new IllegalArgumentException("payload must have room for the 8-byte timestamp: " + size);
        }
        byte[] p = new byte[size];
        for (int i = Long.BYTES; i < size; i++) {
            p[i] = (byte) ('a' + i % 26);
        }
        return p;
    }

    /**
     * The timestamp of a delivered payload: JSON ones (chat messages, whose payload the
     * message-service writes) carry it as {@code "sbts"}; binary ones in their first 8
     * bytes. A binary timestamp (epoch microseconds) starts with byte 0, never with '{'.
     */
    public static long timestamp(ByteString payload) {
        if (!payload.isEmpty() && payload.byteAt(0) == '{') {
            return jsonTimestamp(payload.toStringUtf8());
        }
        return binaryTimestamp(payload);
    }

    /** The timestamp of a binary payload, or -1 if it is too short to carry one. */
    public static long binaryTimestamp(ByteString payload) {
        if (payload.size() < Long.BYTES) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = (v << 8) | (payload.byteAt(i) & 0xFF);
        }
        return v;
    }

    /**
     * A JSON object of about {@code size} bytes: {@code {"sbts":<micros>,"pad":"..."}}; the
     * padding makes the serialized size match (the timestamp is 16 digits for the coming centuries).
     */
    public static String json(long micros, int size) {
        String head = "{\"" + JSON_KEY + "\":" + micros + ",\"pad\":\"";
        int pad = Math.max(0, size - head.length() - 2);
        StringBuilder sb = new StringBuilder(head.length() + pad + 2).append(head);
        for (int i = 0; i < pad; i++) {
            sb.append((char) ('a' + i % 26));
        }
        return sb.append("\"}").toString();
    }

    /**
     * Finds {@code "sbts"} in a text, even inside an escaped JSON string (Pusher delivers
     * {@code data} as a string: {@code "{\"sbts\":123}"}), and parses the digits after it;
     * -1 if there is none.
     */
    public static long jsonTimestamp(CharSequence text) {
        int n = text.length();
        outer:
        for (int i = 0; i + KEY.length <= n; i++) {
            for (int j = 0; j < KEY.length; j++) {
                if (text.charAt(i + j) != KEY[j]) {
                    continue outer;
                }
            }
            int k = i + KEY.length;
            while (k < n && !Character.isDigit(text.charAt(k))) {
                char c = text.charAt(k);
                if (c != '\\' && c != '"' && c != ':' && c != ' ') {
                    continue outer;
                }
                k++;
            }
            long v = 0;
            int digits = 0;
            while (k < n && Character.isDigit(text.charAt(k)) && digits < 19) {
                v = v * 10 + (text.charAt(k++) - '0');
                digits++;
            }
            return digits == 0 ? -1 : v;
        }
        return -1;
    }

    /** The first index of {@code what} in {@code text}, or -1. */
    public static int indexOf(CharSequence text, String what) {
        int n = text.length() - what.length();
        outer:
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j < what.length(); j++) {
                if (text.charAt(i + j) != what.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
