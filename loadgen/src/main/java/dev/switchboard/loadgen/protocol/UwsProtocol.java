package dev.switchboard.loadgen.protocol;

import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.net.LoadConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The mini pub/sub protocol of the uWebSockets.js comparison server
 * ({@code benchmarks/uws/server.js}, described in docs/benchmarks.md): JSON text
 * frames, no hello and no auth (the upgrade is the hello), subscribe with
 * {@code {"t":"sub","ch":"ch-N"}} answered by {@code {"t":"ok","ch":"ch-N"}}, and
 * publish with {@code {"t":"pub","ch":"ch-N","d":"..."}} on any connection: the
 * server forwards the same bytes to every subscriber of the channel. The
 * timestamp rides in {@code d} as {@code sbts:<micros>} ({@link Payloads#jsonTimestamp}).
 */
public final class UwsProtocol implements Protocol {
    private final URI url;

    public UwsProtocol(URI url) {
        this.url = url;
    }

    @Override
    public String label() {
        return "uws";
    }

    @Override
    public URI uri(int index) {
        return url;
    }

    @Override
    public String channel(int channelIndex) {
        return "ch-" + channelIndex;
    }

    @Override
    public void onOpen(LoadConnection c) {
        // No hello: the connection is ready once upgraded.
        c.onHelloComplete();
    }

    @Override
    public void subscribe(LoadConnection c, String channel) {
        c.send(new TextWebSocketFrame(Unpooled.copiedBuffer("{\"t\":\"sub\",\"ch\":\"" + channel + "\"}", StandardCharsets.US_ASCII)));
    }

    @Override
    public void onFrame(LoadConnection c, WebSocketFrame frame) {
        if (!(frame instanceof TextWebSocketFrame)) {
            c.onServerError("unexpected " + frame.getClass().getSimpleName());
            return;
        }
        ByteBuf text = frame.content();
        switch (type(text)) {
            case 'p' -> c.onDelivery(Payloads.jsonTimestamp(new AsciiView(text)));
            case 'o' -> c.onSubscribed();
            default -> c.onServerError("unknown frame " + text.toString(StandardCharsets.UTF_8));
        }
    }

    /** The first letter of the value of {@code "t"} ({@code p}ub, {@code o}k), or 0 if there is none. */
    static char type(ByteBuf json) {
        int i = Payloads.indexOf(new AsciiView(json), "\"t\":\"");
        return i < 0 || i + 5 >= json.readableBytes() ? 0 : (char) json.getByte(json.readerIndex() + i + 5);
    }

    @Override
    public boolean publishesOverWebSocket() {
        return true;
    }

    @Override
    public Publisher publisher(List<LoadConnection> connections, int payloadSize, LoadStats stats) {
        return new UwsPublisher(connections, this::channel, payloadSize, stats);
    }

    @Override
    public String toString() {
        return "uws " + url;
    }
}
