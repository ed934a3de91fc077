package dev.switchboard.message;

import dev.switchboard.wire.ErrorCode;
import java.util.Objects;

/**
 * A chat operation that was refused or could not be done. The {@link ErrorCode}
 * is the protocol's own, so the REST layer maps it to an HTTP status and the
 * edge can relay it unchanged in an {@code Error} frame.
 */
public final class ChatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ChatException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ChatException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    public static ChatException badRequest(String message) {
        return new ChatException(ErrorCode.BAD_REQUEST, message);
    }

    /** Text that cannot be stored as sent (see {@link TextValidator}). */
    public static ChatException invalidArgument(String message) {
        return new ChatException(ErrorCode.INVALID_ARGUMENT, message);
    }

    /** A send whose commit failed and whose outcome could not be learnt in time: retry with the same client_msg_id. */
    public static ChatException outcomeUnknown(String message, Throwable cause) {
        return new ChatException(ErrorCode.COMMIT_OUTCOME_UNKNOWN, message, cause);
    }

    public static ChatException notFound(String message) {
        return new ChatException(ErrorCode.NOT_FOUND, message);
    }

    public static ChatException forbidden(String message) {
        return new ChatException(ErrorCode.PERMISSION_DENIED, message);
    }

    public static ChatException conflict(String message) {
        return new ChatException(ErrorCode.CONFLICT, message);
    }
}
