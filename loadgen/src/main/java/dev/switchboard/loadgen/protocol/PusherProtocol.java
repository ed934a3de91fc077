package dev.switchboard.loadgen.protocol;

import dev.switchboard.loadgen.metrics.LoadStats;
import dev.switchboard.loadgen.net.LoadConnection;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;

/**
 * The Pusher channels protocol (version 7) as Soketi speaks it: JSON text
 * frames, {@code pusher:connection_established} as the hello,
 * {@code pusher:subscribe} on public channels {@code ch-N}, {@code pusher:ping}
 * answered with {@code pusher:pong}, and publishing through the signed HTTP
 * events API ({@link PusherPublisher}).
 */
public final class PusherProtocol implements Protocol {
    /** The event name of test publications. */
    public static final String EVENT = "sb-bench";

    private final URI url;
    private final URI api;
    private final String appId;
    private final PusherSigner signer;
    private final HttpClient http;

    /**
     * @param url the WebSocket URL, {@code ws://host:port/app/<key>}; {@code protocol=7} is added if absent
     * @param api the HTTP API base ({@code http://host:port}); null: the WebSocket's host and port
     * @param appId the app id (for publishing; null if the run does not publish)
     * @param secret the app secret (for publishing; null if the run does not publish)
     */
    public PusherProtocol(URI url, URI api, String appId, String secret) {
        String q = url.getRawQuery();
        this.url = q != null && q.contains("protocol=") ? url
                : URI.create(url + (q == null ? "?" : "&") + "protocol=7&client=switchboard-loadgen&version=1.0");
        this.api = api != null ? api : URI.create("http://" + url.getHost() + ":" + url.getPort());
        this.appId = appId;
        String path = url.getPath();
        String key = path.substring(path.lastIndexOf('/') + 1);
        this.signer = secret == null ? null : new PusherSigner(key, secret);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public String label() {
        return "pusher";
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
        // Pusher's hello comes from the server (pusher:connection_established).
    }

    @Override
    public void subscribe(LoadConnection c, String channel) {
        c.send(new TextWebSocketFrame("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}"));
    }

    @Override
    public void onFrame(LoadConnection c, WebSocketFrame frame) {
        if (!(frame instanceof TextWebSocketFrame text)) {
            return;
        }
        String json = text.text();
        String event = PusherMessages.event(json);
        if (event == null) {
            c.onServerError("a message without an event");
            return;
        }
        switch (event) {
            case EVENT -> c.onDelivery(Payloads.jsonTimestamp(json));
            case "pusher:connection_established" -> c.onHelloComplete();
            case "pusher_internal:subscription_succeeded" -> c.onSubscribed();
            case "pusher:ping" -> c.send(new TextWebSocketFrame("{\"event\":\"pusher:pong\",\"data\":{}}"));
            case "pusher:error" -> c.onServerError("pusher:error " + PusherMessages.abbreviate(json));
            default -> {
                // pusher:pong and other events a load client ignores.
            }
        }
    }

    @Override
    public boolean publishesOverWebSocket() {
        return false;
    }

    @Override
    public Publisher publisher(List<LoadConnection> connections, int payloadSize, LoadStats stats) {
        if (signer == null || appId == null) {
            throw new IllegalStateException("publishing to a Pusher server needs --pusher-app-id and --pusher-secret");
        }
        return new PusherPublisher(http, api, appId, signer, this::channel, payloadSize, stats);
    }

    @Override
    public void close() {
        http.close();
    }
}
