package dev.switchboard.app;

import dev.switchboard.app.Fleet.Recorder;
import dev.switchboard.app.Fleet.Rest;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.bridge.memory.MemoryBroker;
import dev.switchboard.client.ClientResources;
import dev.switchboard.client.internal.WireConnection;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.testing.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Dev mode as {@code bin/switchboard dev} runs it: one JVM, embedded H2 in {@code dir}, the in-memory broker. */
public final class DevChat implements ChatSystem {
    static final String SECRET = "dev-chat-secret-0123456789abcdef0123456789";
    static final String API_KEY = "dev-chat-api-key-0123456789";

    private final MemoryBroker broker = new MemoryBroker();
    private final TokenIssuer tokens = new TokenIssuer(SECRET);
    private final ClientResources clients = new ClientResources(1);
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<WireConnection> open = new ArrayList<>();
    public final DevSystem system;

    public DevChat(Path dir) throws InterruptedException {
        EdgeServerOptions options = EdgeServerOptions.builder().host("127.0.0.1")
                .port(FreePorts.next()).apiPort(FreePorts.next()).nodeId("dev").ioThreads(2).build();
        system = DevSystem.start(options, DatabaseOptions.embedded(dir.resolve("db")), broker, SECRET, API_KEY,
                new SimpleMeterRegistry());
    }

    @Override
    public String token(String user, String org) {
        return tokens.issue(user, org, Duration.ofMinutes(30));
    }

    @Override
    public Rest rest(String method, String path, String token, String body) throws IOException, InterruptedException {
        return ChatSystem.call(http, "http://127.0.0.1:" + system.edge().port(), API_KEY, method, path, token, body);
    }

    @Override
    public Recorder connect(int edge, String user, String org) {
        Recorder r = open(edge, user, org);
        r.client.hello().join();
        return r;
    }

    /** Dev mode has one edge node: every index names it. */
    @Override
    public Recorder open(int edge, String user, String org) {
        Recorder r = new Recorder();
        r.client = WireConnection.builder(URI.create("ws://127.0.0.1:" + system.edge().port() + "/ws"), token(user, org))
                .resources(clients).listener(r).connect().orTimeout(10, TimeUnit.SECONDS).join();
        synchronized (open) {
            open.add(r.client);
        }
        return r;
    }

    @Override
    public int edgeCount() {
        return 1;
    }

    @Override
    public void close() {
        synchronized (open) {
            open.forEach(c -> c.channel().close());
        }
        system.close();
        broker.close();
        clients.close();
    }
}
