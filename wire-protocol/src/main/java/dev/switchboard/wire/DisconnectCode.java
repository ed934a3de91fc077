package dev.switchboard.wire;

/**
 * The closed set of disconnect codes. Each is sent in a {@code Disconnect} push
 * and as the WebSocket close code.
 *
 * <p>The range says what a client should do:
 * <ul>
 *   <li>4000–4499: reconnect, after {@code reconnect_after_ms} plus jitter;</li>
 *   <li>4500–4999: do not reconnect until the cause is fixed (a new token, a
 *       client bug, an operator's decision).</li>
 * </ul>
 * 1000 and 1001 keep their WebSocket meanings (normal closure, going away) and
 * allow a reconnect.
 */
public enum DisconnectCode {
    NORMAL(1000, "normal closure"),
    GOING_AWAY(1001, "going away"),

    SHUTDOWN(4000, "server shutting down"),
    SLOW_CONSUMER(4001, "slow consumer: outbound queue over its limit"),
    HEARTBEAT_TIMEOUT(4002, "no traffic from the client within the idle timeout"),
    INTERNAL_ERROR(4003, "internal server error"),
    DRAIN(4004, "node draining: reconnect through the balancer"),
    INSUFFICIENT_STATE(4005, "server lost state: reconnect and recover"),
    FORCE_RECONNECT(4006, "reconnect requested by the server"),
    TOKEN_EXPIRED(4007, "token expired: get a new token, then reconnect"),
    RATE_LIMITED(4008, "too many commands: slow down, then reconnect"),
    CONNECT_TIMEOUT(4009, "no connect frame within the handshake timeout"),

    UNAUTHORIZED(4500, "unauthorized"),
    PROTOCOL_ERROR(4501, "protocol error: malformed frame"),
    MESSAGE_TOO_LARGE(4502, "message too large"),
    FORCE_DISCONNECT(4503, "disconnected by the server"),
    CONNECTION_LIMIT(4504, "connection limit reached"),
    PERMISSION_DENIED(4505, "permission denied");

    /** First code of the range in which clients must not reconnect. */
    public static final int TERMINAL_RANGE_START = 4500;

    private final int code;
    private final String reason;

    DisconnectCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** Whether a client should reconnect after this code. */
    public boolean reconnect() {
        return reconnect(code);
    }

    /** The rule for any close code, including ones this version does not know. */
    public static boolean reconnect(int code) {
        return code < TERMINAL_RANGE_START || code > 4999;
    }

    /** The code with this number, or {@code null} if this version does not know it. */
    public static DisconnectCode of(int code) {
        for (DisconnectCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
