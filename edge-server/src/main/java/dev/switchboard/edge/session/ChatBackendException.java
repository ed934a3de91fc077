package dev.switchboard.edge.session;

import dev.switchboard.wire.ErrorCode;

/** A refusal or failure of the chat backend, with the protocol error code to answer the client with. */
public final class ChatBackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ChatBackendException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
