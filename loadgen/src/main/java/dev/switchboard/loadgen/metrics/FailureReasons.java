package dev.switchboard.loadgen.metrics;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.net.BindException;
import java.net.ConnectException;
import java.util.regex.Pattern;

/**
 * Turns what went wrong into an {@link ErrorReason}'s text: the same cause on
 * many connections reads the same (no addresses, ports or ids), so that
 * reports can count by reason.
 */
public final class FailureReasons {
    /**
     * Netty's native transports prefix their errors with the call: "recvAddress(..) failed: Connection reset by peer",
     * "connect(..) failed with error(-111): Connection refused".
     */
    private static final Pattern NATIVE_CALL = Pattern.compile("^[a-zA-Z]+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?:?\\s*");
    /** Connect errors end with the address: "Connection refused: /127.0.0.1:8080", "... localhost/127.0.0.1:8080". */
    private static final Pattern ADDRESS = Pattern.compile(":\\s*\\S*/[0-9a-fA-F.:\\[\\]]+:\\d+$");
    private static final int MAX_LENGTH = 120;

    private FailureReasons() {
    }

    /** Why a connection attempt, an upgrade or an open connection failed with {@code cause}. */
    public static String of(Throwable cause) {
        Throwable c = cause;
        while (c.getCause() != null && c.getCause() != c && !(c instanceof WebSocketClientHandshakeException)) {
            if (c instanceof java.io.IOException) {
                break;
            }
            c = c.getCause();
        }
        if (c instanceof WebSocketClientHandshakeException h) {
            return h.response() == null ? "upgrade failed: " + clean(h.getMessage()) : http(h.response().status().code(),
                    h.response().status().reasonPhrase());
        }
        if (c instanceof ConnectTimeoutException) {
            return "TCP connect timed out";
        }
        if (c instanceof BindException) {
            return "cannot bind a source address: " + clean(c.getMessage()) + " (out of ephemeral ports? add --source-addresses)";
        }
        String message = clean(c.getMessage());
        if (c instanceof ConnectException || c instanceof java.io.IOException) {
            return message.isEmpty() ? c.getClass().getSimpleName() : message;
        }
        return c.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    /** An HTTP answer other than 101 to the WebSocket upgrade. */
    public static String http(int status, String phrase) {
        return "HTTP " + status + (phrase == null || phrase.isBlank() ? "" : " " + phrase);
    }

    /** A server's close: its code and reason, from a WebSocket close frame or the protocol's disconnect push. */
    public static String close(String how, int code, String reason) {
        return how + " " + code + (reason == null || reason.isBlank() ? "" : " " + clean(reason));
    }

    /** A socket or driver message without Netty's native call prefix, trailing address or excess length. */
    public static String clean(String message) {
        if (message == null) {
            return "";
        }
        String m = NATIVE_CALL.matcher(message.strip()).replaceFirst("");
        m = ADDRESS.matcher(m).replaceFirst("");
        return m.length() <= MAX_LENGTH ? m : m.substring(0, MAX_LENGTH) + "…";
    }
}
