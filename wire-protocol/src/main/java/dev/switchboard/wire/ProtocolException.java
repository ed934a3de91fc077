package dev.switchboard.wire;

/** Bytes that are not a valid frame sequence. The session answers with a protocol error; nothing else breaks. */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message, null, false, false);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
