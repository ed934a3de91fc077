package dev.switchboard.loadgen.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The readable bytes of a buffer as characters (one byte each), without copying:
 * enough to scan a delivered JSON frame for its timestamp at hundreds of
 * thousands of frames a second. Valid while the buffer is.
 */
final class AsciiView implements CharSequence {
    private final ByteBuf buf;
    private final int offset;
    private final int length;

    AsciiView(ByteBuf buf) {
        this(buf, buf.readerIndex(), buf.readableBytes());
    }

    private AsciiView(ByteBuf buf, int offset, int length) {
        this.buf = buf;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        return (char) (buf.getByte(offset + index) & 0xFF);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new AsciiView(buf, offset + start, end - start);
    }

    @Override
    public String toString() {
        return buf.toString(offset, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
