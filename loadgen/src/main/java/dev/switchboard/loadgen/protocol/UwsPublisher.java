package dev.switchboard.loadgen.protocol;

import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.net.LoadConnection;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Publishes the uWS mini protocol's {@code pub} frames. Each channel's frame is
 * built once with a 16-digit timestamp placeholder; a send writes the digits in place.
 */
final class UwsPublisher extends TemplatePublisher {
    /** Epoch microseconds have 16 digits until the year 2286. */
    static final int DIGITS = 16;

    UwsPublisher(List<LoadConnection> connections, IntFunction<String> channelName, int payloadSize, LoadStats stats) {
        super(connections, channelName, payloadSize, stats);
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

    @Override
    byte[] templateFor(String channel) {
        return template(channel, payloadSize);
    }

    @Override
    WebSocketFrame stamped(ByteBuf buf, byte[] template, long micros) {
        patch(buf, digitsAt(template, payloadSize), micros);
        return new TextWebSocketFrame(buf);
    }
}
