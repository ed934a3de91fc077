package dev.switchboard.auth;

/** A token that cannot be accepted; {@link #reason()} says why, without echoing the token. */
public final class TokenException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a token was refused. */
    public enum Reason { MISSING, MALFORMED, BAD_SIGNATURE, EXPIRED, BAD_CLAIMS }

    private final Reason reason;

    public TokenException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
