package dev.switchboard.edge.session;

import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.proto.Error;
import dev.switchboard.wire.proto.ServerFrame;

/** Builders for reply frames. */
final class Replies {
    private Replies() {
    }

    static ServerFrame.Builder to(int requestId) {
        return ServerFrame.newBuilder().setId(requestId);
    }

    static ServerFrame error(int requestId, ErrorCode code, String message) {
        return to(requestId).setError(Error.newBuilder().setCode(code.code())
                .setMessage(message == null ? code.description() : message)
                .setTemporary(code.temporary())).build();
    }

    /** The Disconnect push that precedes a close frame with the same code. */
    static ServerFrame disconnect(dev.switchboard.wire.DisconnectCode code, String reason, int reconnectAfterMs) {
        return ServerFrame.newBuilder().setDisconnect(dev.switchboard.wire.proto.Disconnect.newBuilder()
                .setCode(code.code()).setReason(reason).setReconnect(code.reconnect())
                .setReconnectAfterMs(reconnectAfterMs)).build();
    }
}
