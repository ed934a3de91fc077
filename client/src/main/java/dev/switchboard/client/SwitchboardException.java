package dev.switchboard.client;

import dev.switchboard.wire.ErrorCode;

/** The server answered a command with an error. */
public final class SwitchboardException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final boolean temporary;

    public SwitchboardException(ErrorCode code, String message, boolean temporary) {
        super(code + ": " + message, null, false, false);
        this.code = code;
        this.temporary = temporary;
    }

    public ErrorCode code() {
        return code;
    }

    /** Whether retrying the same command later may succeed. */
    public boolean temporary() {
        return temporary;
    }
}
