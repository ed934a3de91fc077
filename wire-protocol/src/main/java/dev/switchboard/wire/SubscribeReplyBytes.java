package dev.switchboard.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The reply to a Subscribe, {@code ServerFrame{id, subscribe: SubscribeResult{recovered, last_seq}}}, as a
 * complete binary WebSocket message written straight into its bytes: the bytes {@code WebSocketFrames.binary}
 * gives for the built message (switchboard.proto stays the definition; SubscribeReplyBytesTest compares them),
 * without running protobuf's generated writer on every new connection.
 */
public final class SubscribeReplyBytes {
    private static final int SERVER_FRAME_ID = 1;
    private static final int SERVER_FRAME_SUBSCRIBE = 4;
    private static final int RECOVERED = 1;
    private static final int LAST_SEQ = 2;

    private SubscribeReplyBytes() {
    }

    /** The WebSocket message; the caller owns it. */
    public static ByteBuf frame(ByteBufAllocator alloc, int requestId, boolean recovered, long lastSeq) {
        int result = ProtoWire.boolSize(RECOVERED, recovered) + ProtoWire.uint64Size(LAST_SEQ, lastSeq);
        int frame = ProtoWire.uint32Size(SERVER_FRAME_ID, requestId) + ProtoWire.lengthDelimitedSize(SERVER_FRAME_SUBSCRIBE, result);
        ByteBuf out = WebSocketFrames.binaryOf(alloc, frame);
        try {
            ProtoWire.writeUInt32(out, SERVER_FRAME_ID, requestId);
            ProtoWire.writeMessageHeader(out, SERVER_FRAME_SUBSCRIBE, result);
            ProtoWire.writeBool(out, RECOVERED, recovered);
            ProtoWire.writeUInt64(out, LAST_SEQ, lastSeq);
            return WebSocketFrames.checkFull(out);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
