package dev.switchboard.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The stateless codec between the body of one binary WebSocket message and the
 * protobuf frames it carries: a sequence of varint-length-prefixed frames.
 *
 * <p>Decoding never throws anything but {@link ProtocolException}, so a
 * malformed message becomes a protocol error for its session and nothing else.
 * Instances are immutable and shared by every session.
 */
public final class FrameCodec {
    /** Default cap on the frames one WebSocket message may carry. */
    public static final int DEFAULT_MAX_FRAMES_PER_MESSAGE = 100;

    private final int maxFramesPerMessage;

    public FrameCodec() {
        this(DEFAULT_MAX_FRAMES_PER_MESSAGE);
    }

    public FrameCodec(int maxFramesPerMessage) {
        if (maxFramesPerMessage < 1) {
            throw new IllegalArgumentException("maxFramesPerMessage must be >= 1: " + maxFramesPerMessage);
        }
        this.maxFramesPerMessage = maxFramesPerMessage;
    }

    /** Decodes every client frame in {@code body}; does not release it. */
    public List<ClientFrame> decodeClientFrames(ByteBuf body) {
        return decode(body, ClientFrame.parser());
    }

    /** Decodes every server frame in {@code body}; does not release it. */
    public List<ServerFrame> decodeServerFrames(ByteBuf body) {
        return decode(body, ServerFrame.parser());
    }

    private <T> List<T> decode(ByteBuf body, Parser<T> parser) {
        if (!body.isReadable()) {
            throw new ProtocolException("empty message");
        }
        ByteBuffer nio = body.nioBufferCount() == 1
                ? body.nioBuffer(body.readerIndex(), body.readableBytes())
                : ByteBuffer.wrap(ByteBufs.copyReadable(body));
        int total = nio.remaining();
        CodedInputStream in = CodedInputStream.newInstance(nio);
        List<T> frames = new ArrayList<>(2);
        try {
            while (!in.isAtEnd()) {
                if (frames.size() == maxFramesPerMessage) {
                    throw new ProtocolException("more than " + maxFramesPerMessage + " frames in one message");
                }
                int length = in.readRawVarint32();
                if (length < 0 || length > total - in.getTotalBytesRead()) {
                    throw new ProtocolException("frame length " + length + " exceeds the message");
                }
                int oldLimit = in.pushLimit(length);
                T frame = parser.parseFrom(in);
                in.popLimit(oldLimit);
                frames.add(frame);
            }
        } catch (InvalidProtocolBufferException e) {
            throw new ProtocolException("malformed frame: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ProtocolException("malformed frame: " + e.getMessage(), e);
        }
        return frames;
    }

    /** Encodes frames as the body of one WebSocket message (no WebSocket header). */
    public static ByteBuf encode(ByteBufAllocator alloc, MessageLite... frames) {
        int size = 0;
        for (MessageLite f : frames) {
            size += delimitedSize(f.getSerializedSize());
        }
        ByteBuf out = alloc.buffer(size, size);
        try {
            writeDelimited(out, frames);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** Bytes that {@code frame} takes when length-delimited. */
    public static int delimitedSize(int serializedSize) {
        return CodedOutputStream.computeUInt32SizeNoTag(serializedSize) + serializedSize;
    }

    /** Writes length-delimited frames at the writer index of {@code out}, which must have room. */
    static void writeDelimited(ByteBuf out, MessageLite... frames) {
        int size = 0;
        for (MessageLite f : frames) {
            size += delimitedSize(f.getSerializedSize());
        }
        ByteBuffer nio = out.nioBuffer(out.writerIndex(), size);
        CodedOutputStream cos = CodedOutputStream.newInstance(nio);
        try {
            for (MessageLite f : frames) {
                cos.writeUInt32NoTag(f.getSerializedSize());
                f.writeTo(cos);
            }
            cos.flush();
        } catch (IOException e) {
            throw new IllegalStateException("buffer sized for the frames was too small", e);
        }
        out.writerIndex(out.writerIndex() + size);
    }

    /** Writes one already-serialized frame, length-delimited. */
    static void writeDelimited(ByteBuf out, byte[] serializedFrame) {
        int len = serializedFrame.length;
        while ((len & ~0x7F) != 0) {
            out.writeByte((len & 0x7F) | 0x80);
            len >>>= 7;
        }
        out.writeByte(len);
        out.writeBytes(serializedFrame);
    }
}
