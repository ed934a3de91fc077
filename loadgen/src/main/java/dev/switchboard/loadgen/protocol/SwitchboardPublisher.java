package dev.switchboard.loadgen.protocol;

import dev.switchboard.loadgen.metrics.ErrorKind;
import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.net.LoadConnection;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.Publish;
import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Publishes over WebSocket connections, round-robin. Each channel's publish
 * frame ({@code id=0}: fire-and-forget, no reply) is serialized once; a send
 * copies it and patches the 8-byte timestamp in place, so the hot path does
 * no protobuf work. Writes are flushed once per pacer tick.
 */
final class SwitchboardPublisher implements Publisher {
    private final List<LoadConnection> connections;
    private final IntFunction<String> channelName;
    private final int payloadSize;
    private final LoadStats stats;
    /** Templates by channel index, built on first use (the channel count may be large). */
    private final List<byte[]> templates = new ArrayList<>();
    private final boolean[] dirty;
    private int next;

    SwitchboardPublisher(List<LoadConnection> connections, IntFunction<String> channelName, int payloadSize, LoadStats stats) {
        if (connections.isEmpty()) {
            throw new IllegalArgumentException("a WebSocket publisher needs at least one connection");
        }
        this.connections = List.copyOf(connections);
        this.channelName = channelName;
        this.payloadSize = payloadSize;
        this.stats = stats;
        this.dirty = new boolean[connections.size()];
    }

    /** The serialized publish frame of a channel; its last {@code payloadSize} bytes are the payload. */
    static byte[] template(String channel, int payloadSize) {
        ClientFrame f = ClientFrame.newBuilder()
                .setPublish(Publish.newBuilder().setChannel(channel).setPayload(ByteString.copyFrom(Payloads.binary(payloadSize))))
                .build();
        return SwitchboardProtocol.delimited(f);
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
        // The payload is the frame's last field, so its timestamp sits payloadSize bytes before the end.
        buf.setLong(t.length - payloadSize, intendedWallMicros);
        ch.write(new BinaryWebSocketFrame(buf), ch.voidPromise());
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
