package dev.switchboard.edge.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The 101 of a WebSocket upgrade (RFC 6455 §4.2.2), encoded straight into one buffer: the status line and the
 * fixed headers are bytes made once, and the {@code Sec-WebSocket-Accept} key (base64 of the SHA-1 of the
 * client's key and the protocol's GUID) is hashed and encoded into arrays this event loop reuses, then copied
 * in. The bytes are those Netty's encoder wrote for the {@code DefaultFullHttpResponse} it replaces, which cost
 * a response, a header map of 16 slots, its entries and an iterator per upgrade (docs/benchmarks.md,
 * "Handshake garbage"). One per event loop thread ({@link WebSocketUpgrade} keeps them); not thread-safe.
 */
final class SwitchingProtocols {
    private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEAD = ("HTTP/1.1 101 Switching Protocols\r\n"
            + "upgrade: websocket\r\n"
            + "connection: upgrade\r\n"
            + "sec-websocket-accept: ").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SHA1_BYTES = 20;
    private static final int ACCEPT_CHARS = 28;

    private final MessageDigest sha1;
    private final byte[] digest = new byte[SHA1_BYTES];
    private final byte[] accept = new byte[ACCEPT_CHARS];

    SwitchingProtocols() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }

    /** The encoded 101 answering {@code key} (the request's {@code Sec-WebSocket-Key}), in a buffer of {@code alloc}. */
    ByteBuf response(ByteBufAllocator alloc, String key) {
        acceptKey(key);
        ByteBuf buf = alloc.buffer(HEAD.length + ACCEPT_CHARS + END.length);
        return buf.writeBytes(HEAD).writeBytes(accept).writeBytes(END);
    }

    /** The accept key of {@code key} as a string (tests, and anything that wants it as text). */
    String accept(String key) {
        acceptKey(key);
        return new String(accept, StandardCharsets.US_ASCII);
    }

    /** Hashes the key (without surrounding whitespace; it is base64, so ASCII) and the GUID into {@link #accept}. */
    private void acceptKey(String key) {
        int from = 0;
        int to = key.length();
        while (from < to && key.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && key.charAt(to - 1) <= ' ') {
            to--;
        }
        for (int i = from; i < to; i++) {
            sha1.update((byte) key.charAt(i));
        }
        sha1.update(GUID);
        try {
            sha1.digest(digest, 0, SHA1_BYTES);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-1 writes 20 bytes", e);
        }
        Base64.getEncoder().encode(digest, accept);
    }
}
