package dev.switchboard.wire;

/**
 * The closed set of error codes carried by {@code Error} replies. A reply error
 * never closes the connection; see {@link DisconnectCode} for codes that do.
 *
 * <p>{@link #temporary()} tells a client that the same command may succeed if
 * retried later (with backoff). The numbers are part of the protocol and never
 * change meaning; docs/protocol.md lists them.
 */
public enum ErrorCode {
    INTERNAL(100, true, "internal server error"),
    UNAUTHORIZED(101, false, "unauthorized"),
    UNKNOWN_CHANNEL(102, false, "unknown channel"),
    PERMISSION_DENIED(103, false, "permission denied"),
    UNKNOWN_COMMAND(104, false, "unknown command"),
    ALREADY_SUBSCRIBED(105, false, "already subscribed"),
    LIMIT_EXCEEDED(106, false, "limit exceeded"),
    BAD_REQUEST(107, false, "bad request"),
    NOT_CONNECTED(108, false, "send connect first"),
    ALREADY_CONNECTED(109, false, "already connected"),
    TOKEN_EXPIRED(110, false, "token expired"),
    TOO_MANY_REQUESTS(111, true, "too many requests"),
    UNRECOVERABLE_POSITION(112, false, "too far behind to recover; reload through history"),
    NOT_SUBSCRIBED(113, false, "not subscribed"),
    PAYLOAD_TOO_LARGE(114, false, "payload too large"),
    UNAVAILABLE(115, true, "temporarily unavailable"),
    CONFLICT(116, false, "conflict"),
    NOT_FOUND(117, false, "not found"),
    /** Text that cannot be stored as it was sent: a NUL character or a lone UTF-16 surrogate ({@link StorableText}). */
    INVALID_ARGUMENT(118, false, "invalid argument"),
    /**
     * The database failed while committing a send and could not be asked in time whether the
     * message was stored: retry with the same client_msg_id (it stores the message at most once).
     */
    COMMIT_OUTCOME_UNKNOWN(119, true, "the outcome of the send is unknown; retry with the same client_msg_id");

    private static final ErrorCode[] BY_CODE = new ErrorCode[128];

    static {
        for (ErrorCode c : values()) {
            BY_CODE[c.code] = c;
        }
    }

    private final int code;
    private final boolean temporary;
    private final String description;

    ErrorCode(int code, boolean temporary, String description) {
        this.code = code;
        this.temporary = temporary;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public boolean temporary() {
        return temporary;
    }

    public String description() {
        return description;
    }

    /** The code with this number, or {@link #INTERNAL} for a number this version does not know. */
    public static ErrorCode of(int code) {
        ErrorCode c = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        return c == null ? INTERNAL : c;
    }
}
