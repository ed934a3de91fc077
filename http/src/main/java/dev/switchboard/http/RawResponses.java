package dev.switchboard.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * The few answers written below the HTTP codec, as bytes: when a connection is
 * over the limit (nothing was decoded yet) or a request head or body did not
 * arrive in time (the codec holds half a request). Each closes the connection.
 */
final class RawResponses {
    private static final byte[] TOO_MANY_CONNECTIONS = encode(503, "Service Unavailable",
            HttpError.UNAVAILABLE, "too many connections; retry later", "Retry-After: 1\r\n");
    private static final byte[] REQUEST_TIMEOUT = encode(408, "Request Timeout",
            HttpError.REQUEST_TIMEOUT, "the request did not arrive in time", "");

    private RawResponses() {
    }

    static ByteBuf tooManyConnections() {
        return Unpooled.wrappedBuffer(TOO_MANY_CONNECTIONS);
    }

    static ByteBuf requestTimeout() {
        return Unpooled.wrappedBuffer(REQUEST_TIMEOUT);
    }

    private static byte[] encode(int status, String reason, String code, String message, String extraHeaders) {
        byte[] body = ErrorEnvelope.json(code, message).getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Cache-Control: no-store\r\n"
                + "X-Content-Type-Options: nosniff\r\n"
                + extraHeaders
                + "Connection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }
}
