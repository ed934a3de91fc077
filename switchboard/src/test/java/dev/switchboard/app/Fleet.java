package dev.switchboard.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.redis.Brokers;
import dev.switchboard.bridge.redis.RedisBrokerOptions;
import dev.switchboard.client.ClientResources;
import dev.switchboard.client.internal.RecordingListener;
import dev.switchboard.client.internal.WireConnection;
import dev.switchboard.edge.EdgeServer;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.edge.chat.HttpChatBackend;
import dev.switchboard.edge.presence.RedisPresenceStore;
import dev.switchboard.message.MessageServer;
import dev.switchboard.message.MessageServerOptions;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.message.store.cassandra.CassandraOptions;
import dev.switchboard.testing.PostgresDatabase;
import dev.switchboard.testing.ProcessPorts;
import dev.switchboard.testing.RedisServerProcess;
import dev.switchboard.wire.proto.Publication;
import dev.switchboard.wire.proto.ServerFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The production topology on one machine: PostgreSQL, a redis-server of the
 * test's own, a message-service, and edge nodes that reach it over REST and
 * fan out through Redis. Real processes and sockets throughout.
 */
public final class Fleet implements ChatSystem {
    static final String SECRET = "fleet-secret-0123456789abcdef0123456789";
    /** A platform key: the fleet's tests act in every organisation. */
    static final String API_KEY = "fleet-api-key-0123456789";
    /** Keys of one organisation's backend each. */
    static final String ACME_KEY = "fleet-acme-key-0123456789";
    static final String GLOBEX_KEY = "fleet-globex-key-0123456789";
    /** What the edges present to the message-service. */
    static final String INTERNAL_KEY = "fleet-internal-key-0123456789";
    static final List<String> KEY_ENTRIES = List.of("platform:" + API_KEY, "org:acme:" + ACME_KEY, "org:globex:" + GLOBEX_KEY);
    static final ObjectMapper JSON = new ObjectMapper();

    /** The throwaway database on the shared PostgreSQL, or null when the test brought its own database. */
    final PostgresDatabase pg;
    public final RedisServerProcess redis = new RedisServerProcess().start();
    /** Presence leases are short so that a killed node's users go offline quickly in tests. */
    static final Duration PRESENCE_TTL = Duration.ofSeconds(3);
    static final Duration PRESENCE_RENEW = Duration.ofSeconds(1);
    final TokenIssuer tokens = new TokenIssuer(SECRET);
    public final ClientResources clients = new ClientResources(2);
    final HttpClient http = HttpClient.newHttpClient();
    public final MessageServer messages;
    public final List<EdgeServer> edges = new ArrayList<>();
    private final List<Broker> brokers = new ArrayList<>();
    private final List<WireConnection> open = new ArrayList<>();
    private final List<Process> children = new ArrayList<>();

    public Fleet(int edgeCount) throws InterruptedException {
        this(edgeCount, (DatabaseOptions) null);
    }

    /**
     * A fleet whose message-service uses {@code database} (a server the test owns
     * and may crash, with pool settings of its choosing); null: a throwaway
     * database on the shared PostgreSQL.
     */
    public Fleet(int edgeCount, DatabaseOptions database) throws InterruptedException {
        this(edgeCount, database, b -> b);
    }

    /** A fleet whose edge nodes take {@code edgeTuning}'s changes to the fleet's edge options. */
    public Fleet(int edgeCount, DatabaseOptions database, UnaryOperator<EdgeServerOptions.Builder> edgeTuning) throws InterruptedException {
        this(edgeCount, database, null, edgeTuning);
    }

    /** A fleet whose message-service keeps messages in the Cassandra keyspace {@code messagesOn}, the rest in a throwaway database. */
    public Fleet(int edgeCount, CassandraOptions messagesOn) throws InterruptedException {
        this(edgeCount, null, messagesOn, b -> b);
    }

    private Fleet(int edgeCount, DatabaseOptions database, CassandraOptions messagesOn,
                  UnaryOperator<EdgeServerOptions.Builder> edgeTuning) throws InterruptedException {
        pg = database == null ? new PostgresDatabase() : null;
        TokenVerifier verifier = TokenVerifier.builder().hs256Secret(SECRET).build();
        ApiKeys keys = ApiKeys.parse(KEY_ENTRIES);
        messages = MessageServer.start(MessageServerOptions.builder().host("127.0.0.1").port(0)
                        .database(database != null ? database : DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).build())
                        .messages(messagesOn).build(),
                broker(), verifier, keys.and(ApiKeys.internal(INTERNAL_KEY)), new SimpleMeterRegistry());
        for (int i = 1; i <= edgeCount; i++) {
            edges.add(EdgeServer.builder(edgeTuning.apply(EdgeServerOptions.builder().host("127.0.0.1").port(0).apiPort(0).ioThreads(2)
                            .nodeId("edge-" + i).interestLinger(Duration.ofMillis(200)).shutdownTimeout(Duration.ofSeconds(2))
                            .presence(PRESENCE_TTL, PRESENCE_RENEW)).build())
                    .tokenVerifier(verifier).apiKeys(keys).broker(broker())
                    .presenceStore(RedisPresenceStore.connect(redis.uri(), RedisPresenceStore.DEFAULT_PREFIX, PRESENCE_TTL))
                    .chatBackend(new HttpChatBackend(URI.create(restBase()), INTERNAL_KEY, Duration.ofSeconds(5)))
                    .start());
        }
    }

    private Broker broker() {
        // The redis-server is the test's own, so the default key prefixes isolate nothing and need not.
        Broker b = Brokers.create(redis.uri(), RedisBrokerOptions.defaults(), new SimpleMeterRegistry());
        brokers.add(b);
        return b;
    }

    public String restBase() {
        return "http://127.0.0.1:" + messages.port();
    }

    @Override
    public String token(String user, String org) {
        return tokens.issue(user, org, Duration.ofMinutes(30));
    }

    /** A REST call with a user's token, or the API key when {@code token} is null. */
    @Override
    public Rest rest(String method, String path, String token, String body) throws IOException, InterruptedException {
        return ChatSystem.call(http, restBase(), API_KEY, method, path, token, body);
    }

    public record Rest(int status, JsonNode body) {
    }

    @Override
    public Recorder connect(int edge, String user, String org) {
        Recorder r = open(edge, user, org);
        r.client.hello().join();
        return r;
    }

    @Override
    public Recorder open(int edge, String user, String org) {
        Recorder r = new Recorder();
        r.client = WireConnection.builder(URI.create("ws://127.0.0.1:" + edges.get(edge).port() + "/ws"), token(user, org))
                .resources(clients).listener(r).connect().orTimeout(10, TimeUnit.SECONDS).join();
        synchronized (open) {
            open.add(r.client);
        }
        return r;
    }

    /**
     * An edge node in a process of its own (the real launcher), so that a test can
     * kill it without a goodbye. Returns once it accepts connections.
     */
    public Process startEdgeProcess(String nodeId, int port) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.switchboard.cli.Main", "edge",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--api-port", "-1", "--node-id", nodeId,
                "--jwt-secret", SECRET, "--api-key", String.join(",", KEY_ENTRIES), "--internal-key", INTERNAL_KEY,
                "--redis", redis.uri(), "--messages-url", restBase(),
                "--presence-ttl", PRESENCE_TTL.toMillis() + "ms", "--presence-renew", PRESENCE_RENEW.toMillis() + "ms",
                "--io-threads", "1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        children.add(p);
        ProcessPorts.awaitListening("edge process " + nodeId, p, port, Duration.ofSeconds(30));
        return p;
    }

    Recorder connectTo(int port, String user, String org) {
        Recorder r = new Recorder();
        r.client = WireConnection.builder(URI.create("ws://127.0.0.1:" + port + "/ws"), token(user, org))
                .resources(clients).listener(r).connect().orTimeout(10, TimeUnit.SECONDS).join();
        synchronized (open) {
            open.add(r.client);
        }
        r.client.hello().join();
        return r;
    }

    @Override
    public int edgeCount() {
        return edges.size();
    }

    @Override
    public void close() {
        children.forEach(Process::destroyForcibly);
        synchronized (open) {
            open.forEach(c -> c.channel().close());
        }
        edges.forEach(EdgeServer::close);
        messages.close();
        brokers.forEach(Broker::close);
        clients.close();
        redis.close();
        if (pg != null) {
            pg.close();
        }
    }

    /** A client with queues of what it received. */
    public static final class Recorder extends RecordingListener {
        public WireConnection client;

        Publication next() throws InterruptedException {
            return nextPublication(Duration.ofSeconds(15));
        }

        ServerFrame nextPush(ServerFrame.BodyCase kind) throws InterruptedException {
            return nextPush(kind, Duration.ofSeconds(15));
        }
    }
}
