package dev.switchboard.loadgen.protocol;

import dev.switchboard.loadgen.metrics.ErrorKind;
import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.net.LoadConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Publishes the uWS mini protocol's {@code pub} frames over WebSocket connections,
 * round-robin. Each channel's frame is built once with a 16-digit timestamp
 * placeholder; a send copies it and writes the digits in place. Writes are
 * flushed once per pacer tick.
 */
final class UwsPublisher implements Publisher {
    /** Epoch microseconds have 16 digits until the year 2286. */
    static final int DIGITS = 16;

    private final List<LoadConnection> connections;
    private final IntFunction<String> channelName;
    private final int payloadSize;
    private final LoadStats stats;
    private final List<byte[]> templates = new ArrayList<>();
    private final boolean[] dirty;
    private int next;

    UwsPublisher(List<LoadConnection> connections, IntFunction<String> channelName, int payloadSize, LoadStats stats) {
        if (connections.isEmpty()) {
            throw new IllegalArgumentException("a WebSocket publisher needs at least one connection");
        }
        this.connections = List.copyOf(connections);
        this.channelName = channelName;
        this.payloadSize = payloadSize;
        this.stats = stats;
        this.dirty = new boolean[connections.size()];
    }

    /**
     * {@code {"t":"pub","ch":"<channel>","d":"sbts:<16 digits> aaa..."}}, the {@code d} value padded so
     * that it is about {@code payloadSize} bytes; the digits start at {@link #digitsAt}.
     */
    static byte[] template(String channel, int payloadSize) {
        StringBuilder d = new StringBuilder("sbts:").append("0".repeat(DIGITS)).append(' ');
        for (int i = d.length(); i < payloadSize; i++) {
            d.append((char) ('a' + i % 26));
        }
        return ("{\"t\":\"pub\",\"ch\":\"" + channel + "\",\"d\":\"" + d + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    /** Where the timestamp's digits start in a template of {@code payloadSize}: {@code d} is its end but {@code "}}. */
    static int digitsAt(byte[] template, int payloadSize) {
        return template.length - 2 - Math.max(payloadSize, DIGITS + 6) + "sbts:".length();
    }

    /** Writes {@code micros} as {@link #DIGITS} decimal digits at {@code at}. */
    static void patch(ByteBuf buf, int at, long micros) {
        long v = micros;
        for (int i = DIGITS - 1; i >= 0; i--) {
            buf.setByte(at + i, (int) ('0' + v % 10));
            v /= 10;
        }
    }

    private byte[] templateOf(int channelIndex) {
        while (templates.size() <= channelIndex) {
            templates.add(null);
        }
        byte[] t = templates.get(channelIndex);
        if (t == null) {
            t = template(channelName.apply(channelIndex), payloadSize);
            templates.set(channelIndex, t);
        }
        return t;
    }

    @Override
    public void publish(int channelIndex, long intendedWallMicros) {
        int i = next;
        next = (next + 1) % connections.size();
        Channel ch = connections.get(i).channel();
        if (ch == null || !ch.isActive()) {
            stats.error(ErrorKind.SEND, "publisher connection closed");
            return;
        }
        if (!ch.isWritable()) {
            stats.error(ErrorKind.SEND, "publisher socket not writable (the server reads too slowly)");
            return;
        }
        byte[] t = templateOf(channelIndex);
        ByteBuf buf = ch.alloc().buffer(t.length);
        buf.writeBytes(t);
        patch(buf, digitsAt(t, payloadSize), intendedWallMicros);
        ch.write(new TextWebSocketFrame(buf), ch.voidPromise());
        dirty[i] = true;
        stats.sent();
    }

    @Override
    public void flush() {
        for (int i = 0; i < dirty.length; i++) {
            if (dirty[i]) {
                dirty[i] = false;
                connections.get(i).channel().flush();
            }
        }
    }
}
