package dev.switchboard.loadgen.protocol;

import dev.switchboard.loadgen.metrics.ErrorKind;
import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.net.LoadConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Publishes over WebSocket connections, round-robin, from one serialized frame
 * per channel (built on the channel's first use: the channel count may be
 * large): a send copies it and stamps the intended send time in place, so the
 * hot path builds nothing. Writes are flushed once per pacer tick. A protocol's
 * subclass says what the frame is and how the time is stamped.
 */
abstract class TemplatePublisher implements Publisher {
    private final List<LoadConnection> connections;
    private final IntFunction<String> channelName;
    final int payloadSize;
    private final LoadStats stats;
    private final List<byte[]> templates = new ArrayList<>();
    private final boolean[] dirty;
    private int next;

    TemplatePublisher(List<LoadConnection> connections, IntFunction<String> channelName, int payloadSize, LoadStats stats) {
        if (connections.isEmpty()) {
            throw new IllegalArgumentException("a WebSocket publisher needs at least one connection");
        }
        this.connections = List.copyOf(connections);
        this.channelName = channelName;
        this.payloadSize = payloadSize;
        this.stats = stats;
        this.dirty = new boolean[connections.size()];
    }

    /** The serialized publish frame of {@code channel}, with room for the time. */
    abstract byte[] templateFor(String channel);

    /** The frame to write: {@code buf}, a copy of {@code template}, with {@code micros} stamped in it. */
    abstract WebSocketFrame stamped(ByteBuf buf, byte[] template, long micros);

    private byte[] templateOf(int channelIndex) {
        while (templates.size() <= channelIndex) {
            templates.add(null);
        }
        byte[] t = templates.get(channelIndex);
        if (t == null) {
            t = templateFor(channelName.apply(channelIndex));
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
        ch.write(stamped(buf, t, intendedWallMicros), ch.voidPromise());
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
