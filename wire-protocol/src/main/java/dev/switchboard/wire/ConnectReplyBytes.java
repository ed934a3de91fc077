package dev.switchboard.wire;

import dev.switchboard.wire.proto.RecoveryResult;
import dev.switchboard.wire.proto.StreamPosition;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * The reply to a Connect, {@code ServerFrame{id, connect: ConnectResult{...}}}, as a complete binary WebSocket
 * message written straight into its bytes: the bytes {@code WebSocketFrames.binary} gives for the built message
 * (fields in number order, defaults left out; switchboard.proto stays the definition and ConnectReplyBytesTest
 * compares them), without running protobuf's generated writer on every new connection. The nested
 * {@code RecoveryResult} and {@code StreamPosition} are read through their getters.
 */
public record ConnectReplyBytes(String sessionId, String nodeId, String userId, String orgId, int heartbeatIntervalMs,
        int idleTimeoutMs, long tokenExpiresAtMs, List<String> channels, List<RecoveryResult> recovered,
        List<StreamPosition> channelPositions) {
    private static final int SERVER_FRAME_ID = 1;
    private static final int SERVER_FRAME_CONNECT = 3;
    private static final int SESSION_ID = 1;
    private static final int NODE_ID = 2;
    private static final int USER_ID = 3;
    private static final int ORG_ID = 4;
    private static final int HEARTBEAT_INTERVAL_MS = 5;
    private static final int IDLE_TIMEOUT_MS = 6;
    private static final int TOKEN_EXPIRES_AT_MS = 7;
    private static final int CHANNELS = 8;
    private static final int RECOVERED = 9;
    private static final int CHANNEL_POSITIONS = 10;
    /** RecoveryResult's and StreamPosition's fields. */
    private static final int CHANNEL = 1;
    private static final int RECOVERY_RECOVERED = 2;
    private static final int RECOVERY_LAST_SEQ = 3;
    private static final int POSITION_SEQ = 2;

    /** The WebSocket message answering request {@code requestId}; the caller owns it. */
    public ByteBuf frame(ByteBufAllocator alloc, int requestId) {
        int result = resultSize();
        int frame = ProtoWire.uint32Size(SERVER_FRAME_ID, requestId) + ProtoWire.lengthDelimitedSize(SERVER_FRAME_CONNECT, result);
        ByteBuf out = WebSocketFrames.binaryOf(alloc, frame);
        try {
            ProtoWire.writeUInt32(out, SERVER_FRAME_ID, requestId);
            ProtoWire.writeMessageHeader(out, SERVER_FRAME_CONNECT, result);
            writeResult(out);
            return WebSocketFrames.checkFull(out);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private int resultSize() {
        int size = ProtoWire.stringSize(SESSION_ID, sessionId, false) + ProtoWire.stringSize(NODE_ID, nodeId, false)
                + ProtoWire.stringSize(USER_ID, userId, false) + ProtoWire.stringSize(ORG_ID, orgId, false)
                + ProtoWire.uint32Size(HEARTBEAT_INTERVAL_MS, heartbeatIntervalMs)
                + ProtoWire.uint32Size(IDLE_TIMEOUT_MS, idleTimeoutMs)
                + ProtoWire.uint64Size(TOKEN_EXPIRES_AT_MS, tokenExpiresAtMs);
        for (int i = 0; i < channels.size(); i++) {
            size += ProtoWire.stringSize(CHANNELS, channels.get(i), true);
        }
        for (int i = 0; i < recovered.size(); i++) {
            size += ProtoWire.lengthDelimitedSize(RECOVERED, recoverySize(recovered.get(i)));
        }
        for (int i = 0; i < channelPositions.size(); i++) {
            size += ProtoWire.lengthDelimitedSize(CHANNEL_POSITIONS, positionSize(channelPositions.get(i)));
        }
        return size;
    }

    private void writeResult(ByteBuf out) {
        ProtoWire.writeString(out, SESSION_ID, sessionId, false);
        ProtoWire.writeString(out, NODE_ID, nodeId, false);
        ProtoWire.writeString(out, USER_ID, userId, false);
        ProtoWire.writeString(out, ORG_ID, orgId, false);
        ProtoWire.writeUInt32(out, HEARTBEAT_INTERVAL_MS, heartbeatIntervalMs);
        ProtoWire.writeUInt32(out, IDLE_TIMEOUT_MS, idleTimeoutMs);
        ProtoWire.writeUInt64(out, TOKEN_EXPIRES_AT_MS, tokenExpiresAtMs);
        for (int i = 0; i < channels.size(); i++) {
            ProtoWire.writeString(out, CHANNELS, channels.get(i), true);
        }
        for (int i = 0; i < recovered.size(); i++) {
            RecoveryResult r = recovered.get(i);
            ProtoWire.writeMessageHeader(out, RECOVERED, recoverySize(r));
            ProtoWire.writeString(out, CHANNEL, r.getChannel(), false);
            ProtoWire.writeBool(out, RECOVERY_RECOVERED, r.getRecovered());
            ProtoWire.writeUInt64(out, RECOVERY_LAST_SEQ, r.getLastSeq());
        }
        for (int i = 0; i < channelPositions.size(); i++) {
            StreamPosition p = channelPositions.get(i);
            ProtoWire.writeMessageHeader(out, CHANNEL_POSITIONS, positionSize(p));
            ProtoWire.writeString(out, CHANNEL, p.getChannel(), false);
            ProtoWire.writeUInt64(out, POSITION_SEQ, p.getSeq());
        }
    }

    private static int recoverySize(RecoveryResult r) {
        return ProtoWire.stringSize(CHANNEL, r.getChannel(), false) + ProtoWire.boolSize(RECOVERY_RECOVERED, r.getRecovered())
                + ProtoWire.uint64Size(RECOVERY_LAST_SEQ, r.getLastSeq());
    }

    private static int positionSize(StreamPosition p) {
        return ProtoWire.stringSize(CHANNEL, p.getChannel(), false) + ProtoWire.uint64Size(POSITION_SEQ, p.getSeq());
    }
}
