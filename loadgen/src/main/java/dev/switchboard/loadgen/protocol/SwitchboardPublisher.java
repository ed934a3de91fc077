package dev.switchboard.loadgen.protocol;

import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.net.LoadConnection;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.Publish;
import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Publishes Switchboard publish frames ({@code id=0}: fire-and-forget, no reply).
 * Each channel's frame is serialized once; a send patches the payload's 8-byte
 * timestamp in place, so the hot path does no protobuf work.
 */
final class SwitchboardPublisher extends TemplatePublisher {
    SwitchboardPublisher(List<LoadConnection> connections, IntFunction<String> channelName, int payloadSize, LoadStats stats) {
        super(connections, channelName, payloadSize, stats);
    }

    /** The serialized publish frame of a channel; its last {@code payloadSize} bytes are the payload. */
    static byte[] template(String channel, int payloadSize) {
        ClientFrame f = ClientFrame.newBuilder()
                .setPublish(Publish.newBuilder().setChannel(channel).setPayload(ByteString.copyFrom(Payloads.binary(payloadSize))))
                .build();
        return SwitchboardProtocol.delimited(f);
    }

    @Override
    byte[] templateFor(String channel) {
        return template(channel, payloadSize);
    }

    @Override
    WebSocketFrame stamped(ByteBuf buf, byte[] template, long micros) {
        // The payload is the frame's last field, so its timestamp sits payloadSize bytes before the end.
        buf.setLong(template.length - payloadSize, micros);
        return new BinaryWebSocketFrame(buf);
    }
}
