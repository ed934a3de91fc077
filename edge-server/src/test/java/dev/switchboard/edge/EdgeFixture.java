package dev.switchboard.edge;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.bridge.Broker;
import dev.switchboard.client.internal.WireListener;
import dev.switchboard.client.internal.RecordingListener;
import dev.switchboard.client.ClientResources;
import dev.switchboard.client.internal.WireConnection;
import dev.switchboard.wire.proto.Publication;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts real edge nodes on free loopback ports and connects real WebSocket clients to them. */
public final class EdgeFixture implements AutoCloseable {
    public static final String SECRET = "test-secret-0123456789abcdef0123456789";
    public static final String API_KEY = "test-api-key-0123456789";

    public final TokenIssuer tokens = new TokenIssuer(SECRET);
    public final ClientResources clientResources = new ClientResources(2);
    private final List<EdgeServer> servers = new ArrayList<>();
    private final List<WireConnection> clients = new ArrayList<>();
    private final List<AutoCloseable> owned = new ArrayList<>();

    /** Closes {@code c} after the servers (brokers, redis processes). */
    public <T extends AutoCloseable> T own(T c) {
        owned.add(c);
        return c;
    }

    public static EdgeServerOptions.Builder options() {
        return EdgeServerOptions.builder().host("127.0.0.1").port(0).apiPort(0).ioThreads(2)
                .interestLinger(Duration.ofMillis(100)).shutdownTimeout(Duration.ofSeconds(3));
    }

    public EdgeServer start(EdgeServerOptions options) throws InterruptedException {
        return start(options, null);
    }

    public EdgeServer start(EdgeServerOptions options, Broker broker) throws InterruptedException {
        EdgeServer.Builder b = EdgeServer.builder(options)
                .tokenVerifier(TokenVerifier.builder().hs256Secret(SECRET).build())
                .apiKeys(new ApiKeys(List.of(API_KEY)));
        if (broker != null) {
            b.broker(broker);
        }
        EdgeServer server = b.start();
        servers.add(server);
        return server;
    }

    public String token(String user, String org) {
        return tokens.issue(user, org, Duration.ofMinutes(10));
    }

    public static URI wsUri(EdgeServer server) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    }

    /** A connected client (Connect already answered) collecting publications. */
    public Recorder connect(EdgeServer server, String user, String org) {
        Recorder r = new Recorder();
        r.client = open(server, token(user, org), r);
        r.client.hello().join();
        return r;
    }

    public WireConnection open(EdgeServer server, String token, WireListener listener) {
        WireConnection c = WireConnection.builder(wsUri(server), token).resources(clientResources)
                .listener(listener).connect().orTimeout(10, TimeUnit.SECONDS).join();
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    /** The status line of a raw HTTP upgrade request to {@code /ws} with the given extra header lines. */
    public static String rawUpgradeStatus(EdgeServer server, String pathAndQuery, String... headers) throws IOException {
        try (RawUpgrade u = rawUpgrade("127.0.0.1", server.port(), pathAndQuery, headers)) {
            return u.status();
        }
    }

    /** A socket that sent a WebSocket upgrade request and read the answer's status line; open until closed. */
    public record RawUpgrade(Socket socket, String status) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Sends a WebSocket upgrade request to {@code host:port} and reads the status line; the caller closes it. */
    public static RawUpgrade rawUpgrade(String host, int port, String pathAndQuery, String... headers) throws IOException {
        return rawUpgradeFrom(null, host, port, pathAndQuery, headers);
    }

    /** As {@link #rawUpgrade}, from the local address {@code from} (a loopback address such as 127.0.0.2; null: any). */
    public static RawUpgrade rawUpgradeFrom(String from, String host, int port, String pathAndQuery, String... headers)
            throws IOException {
        Socket s = new Socket();
        try {
            if (from != null) {
                s.bind(new java.net.InetSocketAddress(from, 0));
            }
            s.connect(new java.net.InetSocketAddress(host, port), 5000);
            s.setSoTimeout(5000);
            StringBuilder req = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\r') {
                line.append((char) c);
            }
            return new RawUpgrade(s, line.toString());
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public void close() {
        synchronized (clients) {
            for (WireConnection c : clients) {
                c.channel().close();
            }
        }
        for (EdgeServer s : servers) {
            s.close();
        }
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        clientResources.close();
    }

    /** A client with a queue of what it received. */
    public static final class Recorder extends RecordingListener {
        public WireConnection client;

        public Publication next() throws InterruptedException {
            return nextPublication(java.time.Duration.ofSeconds(10));
        }
    }
}
