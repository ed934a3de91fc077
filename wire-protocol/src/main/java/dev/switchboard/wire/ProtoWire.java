package dev.switchboard.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * Protobuf's wire format (proto3: a field at its default is left out) for the hand-written reply encoders
 * ({@link ConnectReplyBytes}, {@link SubscribeReplyBytes}): the size of a field and its write straight into a
 * {@link ByteBuf}, without {@code CodedOutputStream}. Strings are UTF-8 as protobuf writes them (a string with an
 * unpaired surrogate the way {@code String.getBytes(UTF_8)} does, which is protobuf's own fallback).
 */
final class ProtoWire {
    static final int VARINT = 0;
    static final int LENGTH_DELIMITED = 2;

    private ProtoWire() {
    }

    static int varintSize(long value) {
        return value == 0 ? 1 : (63 - Long.numberOfLeadingZeros(value)) / 7 + 1;
    }

    static void writeVarint(ByteBuf out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    static int tagSize(int field) {
        return varintSize(field << 3);
    }

    static void writeTag(ByteBuf out, int field, int wireType) {
        writeVarint(out, (field << 3) | wireType);
    }

    /** A {@code uint64} field; 0 is left out. */
    static int uint64Size(int field, long value) {
        return value == 0 ? 0 : tagSize(field) + varintSize(value);
    }

    static void writeUInt64(ByteBuf out, int field, long value) {
        if (value != 0) {
            writeTag(out, field, VARINT);
            writeVarint(out, value);
        }
    }

    /** A {@code uint32} field (the int read as unsigned); 0 is left out. */
    static int uint32Size(int field, int value) {
        return uint64Size(field, Integer.toUnsignedLong(value));
    }

    static void writeUInt32(ByteBuf out, int field, int value) {
        writeUInt64(out, field, Integer.toUnsignedLong(value));
    }

    /** A {@code bool} field; false is left out. */
    static int boolSize(int field, boolean value) {
        return value ? tagSize(field) + 1 : 0;
    }

    static void writeBool(ByteBuf out, int field, boolean value) {
        if (value) {
            writeTag(out, field, VARINT);
            out.writeByte(1);
        }
    }

    /** A {@code string} field, or one element of a repeated one when {@code always}; "" is left out otherwise. */
    static int stringSize(int field, String value, boolean always) {
        if (value.isEmpty() && !always) {
            return 0;
        }
        return lengthDelimitedSize(field, utf8Size(value));
    }

    static void writeString(ByteBuf out, int field, String value, boolean always) {
        if (value.isEmpty() && !always) {
            return;
        }
        int length = utf8Size(value);
        writeTag(out, field, LENGTH_DELIMITED);
        writeVarint(out, length);
        if (length == value.length()) {
            out.writeCharSequence(value, StandardCharsets.US_ASCII);
        } else if (isWellFormed(value)) {
            ByteBufUtil.reserveAndWriteUtf8(out, value, length);
        } else {
            out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A field of {@code length} bytes (an embedded message, a string): its tag, its length and its bytes. */
    static int lengthDelimitedSize(int field, int length) {
        return tagSize(field) + varintSize(length) + length;
    }

    /** The tag and length of an embedded message whose {@code length} bytes the caller writes next. */
    static void writeMessageHeader(ByteBuf out, int field, int length) {
        writeTag(out, field, LENGTH_DELIMITED);
        writeVarint(out, length);
    }

    /** The UTF-8 length of {@code s}, as protobuf writes it. */
    static int utf8Size(String s) {
        int n = s.length();
        int size = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                size += 1;
            } else if (!Character.isSurrogate(c)) {
                size += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                size += 2; // two chars, four bytes
                i++;
            } else {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return size;
    }

    /** Whether every surrogate of {@code s} is in a pair (so Netty's UTF-8 writer gives protobuf's bytes). */
    private static boolean isWellFormed(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            }
        }
        return true;
    }
}
