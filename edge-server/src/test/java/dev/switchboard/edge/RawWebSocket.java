package dev.switchboard.edge;

import dev.switchboard.wire.FrameCodec;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * A WebSocket client on a plain socket, for behaviour no well-behaved library
 * shows: never answering pings, sending raw or fragmented frames.
 */
final class RawWebSocket implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawWebSocket(int port, String token) throws IOException {
        this(port, token, 0);
    }

    /** With {@code receiveBufferBytes} > 0 the kernel keeps little of what the client does not read. */
    RawWebSocket(int port, String token, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
        out.write(("GET /ws?token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head);
        }
    }

    private String readHead() throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    /** Sends protobuf frames in one binary message. */
    void send(ClientFrame... frames) throws IOException {
        ByteBuf body = FrameCodec.encode(ByteBufAllocator.DEFAULT, frames);
        try {
            sendFrame(true, 0x2, ByteBufUtil.getBytes(body));
        } finally {
            body.release();
        }
    }

    /** Sends one masked frame with the given FIN bit and opcode. */
    void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
        out.write(frame(fin, opcode, payload));
        out.flush();
    }

    /**
     * Sends {@code count} copies of one masked frame, many per write, as fast as the socket
     * takes them; stops early when the server closes. Returns how many were sent.
     */
    int flood(boolean fin, int opcode, byte[] payload, int count) {
        byte[] one = frame(fin, opcode, payload);
        int perWrite = Math.max(1, 64 * 1024 / one.length);
        byte[] many = new byte[one.length * perWrite];
        for (int i = 0; i < perWrite; i++) {
            System.arraycopy(one, 0, many, i * one.length, one.length);
        }
        int sent = 0;
        try {
            while (sent < count) {
                int n = Math.min(perWrite, count - sent);
                out.write(many, 0, n * one.length);
                sent += n;
            }
            out.flush();
        } catch (IOException closedByServer) {
            // The server closed the connection: the flood is over.
        }
        return sent;
    }

    static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 8);
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        b.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            b.write(0x80 | payload.length);
        } else {
            b.write(0x80 | 126);
            b.write(payload.length >>> 8);
            b.write(payload.length & 0xFF);
        }
        b.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            b.write(payload[i] ^ mask[i & 3]);
        }
        return b.toByteArray();
    }

    /**
     * Reads server frames until the close frame or the end of the stream: collects the
     * protobuf frames of binary messages into {@code frames} and returns the close code
     * (-1 when the connection ended without a close frame).
     */
    int readUntilClose(List<ServerFrame> frames) throws IOException {
        return read(frames, f -> false);
    }

    /**
     * Reads server frames into {@code frames} until one matches {@code until} (returns 0), the
     * close frame (returns its code) or the end of the stream (returns -1).
     */
    int read(List<ServerFrame> frames, Predicate<ServerFrame> until) throws IOException {
        socket.setSoTimeout(30_000);
        DataInputStream data = new DataInputStream(in);
        FrameCodec codec = new FrameCodec(Integer.MAX_VALUE);
        try {
            while (true) {
                Frame frame = nextFrame(data);
                byte[] payload = frame.payload();
                if (frame.opcode() == 0x8) {
                    return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                }
                if (frame.opcode() == 0x2) {
                    for (ServerFrame f : codec.decodeServerFrames(Unpooled.wrappedBuffer(payload))) {
                        frames.add(f);
                        if (until.test(f)) {
                            return 0;
                        }
                    }
                }
            }
        } catch (EOFException | java.net.SocketException ended) {
            return -1;
        }
    }

    /** Reads and discards what the server sends until a ping; false if the connection ends or the read times out. */
    boolean awaitPing() throws IOException {
        socket.setSoTimeout(10_000);
        DataInputStream data = new DataInputStream(in);
        try {
            while (nextFrame(data).opcode() != 0x9) {
                // not a ping: read on
            }
            return true;
        } catch (EOFException | java.net.SocketException | java.net.SocketTimeoutException ended) {
            return false;
        }
    }

    /** One server frame (unmasked, as a server sends them). */
    private record Frame(int opcode, byte[] payload) {
    }

    private static Frame nextFrame(DataInputStream data) throws IOException {
        int b0 = data.readUnsignedByte();
        int len = data.readUnsignedByte() & 0x7F;
        long length = len == 126 ? data.readUnsignedShort() : len == 127 ? data.readLong() : len;
        byte[] payload = new byte[(int) length];
        data.readFully(payload);
        return new Frame(b0 & 0x0F, payload);
    }

    /** Whether the server closed the connection (reads and discards what is pending). */
    boolean closedByServer() {
        try {
            byte[] buf = new byte[4096];
            while (true) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
