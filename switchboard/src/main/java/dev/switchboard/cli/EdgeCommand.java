package dev.switchboard.cli;

import dev.switchboard.balancer.NodeRegistration;
import dev.switchboard.balancer.RegistryOptions;
import dev.switchboard.bridge.redis.RedisResources;
import dev.switchboard.bridge.Broker;
import dev.switchboard.cli.config.Validating;
import dev.switchboard.edge.EdgeServer;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.edge.chat.HttpChatBackend;
import dev.switchboard.edge.presence.RedisPresenceStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code switchboard edge}: runs one edge node until SIGTERM/SIGINT, then shuts it down gracefully. */
@Command(name = "edge", subcommands = EdgeDrainCommand.class,
        description = "Run an edge node: the WebSocket endpoint at /ws and the server API. 'edge drain' drains a running node.")
final class EdgeCommand implements Callable<Integer>, Validating {
    /** EdgeServerOptions' fields whose options are named otherwise. */
    private static final Map<String, String> FIELDS = Map.of("heartbeatInterval", "--heartbeat", "maxChannelsPerSession",
            "--max-channels-per-session", "presenceRenew", "--presence-renew", "presenceTtl", "--presence-ttl");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = EdgeServerOptions.DEFAULT_HOST, description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "WebSocket port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--api-port", defaultValue = "8081",
            description = "Server API and /metrics port; -1 turns it off (default: ${DEFAULT-VALUE}). Needs --api-key.")
    int apiPort;

    @Option(names = "--node-id", defaultValue = "${env:SWITCHBOARD_NODE_ID}", description = "This node's id (default: a random one).")
    String nodeId;

    @Option(names = "--messages-url", defaultValue = "${env:SWITCHBOARD_MESSAGES_URL}",
            description = "The message-service (e.g. http://127.0.0.1:8090) for chat channels; without it the node serves ephemeral channels only.")
    URI messagesUrl;


    @Option(names = "--registry", defaultValue = "${env:SWITCHBOARD_REGISTRY}",
            description = "Redis (redis://host:port) where the node registers for the balancer (default: --redis when it names one Redis).")
    String registry;

    @Option(names = "--public-url", defaultValue = "${env:SWITCHBOARD_PUBLIC_URL}",
            description = "The WebSocket URL clients use to reach this node (default: ws://<host>:<port>/ws).")
    String publicUrl;

    @Option(names = "--api-url", defaultValue = "${env:SWITCHBOARD_API_URL}",
            description = "The server API's URL as balancers reach it, announced in the registry for the fleet page's drain button"
                    + " (default: http://<host>:<api-port>).")
    String apiUrl;

    @Option(names = "--capacity", defaultValue = "20000", description = "Connections this node should hold at most, for placement (default: ${DEFAULT-VALUE}).")
    int capacity;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain (PEM) for TLS on the public port (wss://); needs --tls-key.")
    java.io.File tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key (PKCS#8 PEM) for --tls-cert.")
    java.io.File tlsKey;

    @Mixin
    AuthOptions auth = new AuthOptions();

    @Mixin
    InternalKeyOption internal = new InternalKeyOption();

    @Mixin
    BrokerOption broker = new BrokerOption();

    @Mixin
    EdgeTuning tuning = new EdgeTuning();

    /** The node's options; a ParameterException names the option that is wrong. */
    EdgeServerOptions options() {
        EdgeServerOptions.Builder b = tuning.applyTo(EdgeServerOptions.builder().host(host).port(port).apiPort(apiPort));
        if (nodeId != null && !nodeId.isBlank()) {
            b.nodeId(nodeId);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw OptionProblems.of(spec, e, FIELDS);
        }
    }

    @Override
    public void validate() {
        options();
        broker.validate(spec);
        if (registry != null && !registry.isBlank() && !registry.startsWith("redis://")) {
            throw OptionProblems.of(spec, "--registry", "'" + registry + "' is not a redis://host:port URI", null);
        }
        if (publicUrl != null && !publicUrl.isBlank() && !(publicUrl.startsWith("ws://") || publicUrl.startsWith("wss://"))) {
            throw OptionProblems.of(spec, "--public-url", "'" + publicUrl + "' must start with ws:// or wss://", null);
        }
        if (apiUrl != null && !apiUrl.isBlank() && !(apiUrl.startsWith("http://") || apiUrl.startsWith("https://"))) {
            throw OptionProblems.of(spec, "--api-url", "'" + apiUrl + "' must start with http:// or https://", null);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw OptionProblems.of(spec, tlsCert == null ? "--tls-cert" : "--tls-key", "--tls-cert and --tls-key go together", null);
        }
        auth.validate(spec);
        internal.validate(spec, auth);
        if (messagesUrl != null && (!"http".equals(messagesUrl.getScheme()) && !"https".equals(messagesUrl.getScheme())
                || messagesUrl.getHost() == null)) {
            throw OptionProblems.of(spec, "--messages-url", "'" + messagesUrl + "' is not an http(s)://host:port URL", null);
        }
    }

    private NodeRegistration register(EdgeServer server, RedisResources resources) {
        String uri = registryRedis();
        if (uri == null) {
            return null;
        }
        String url = publicUrl != null && !publicUrl.isBlank() ? publicUrl
                : "ws://" + (host.equals("0.0.0.0") ? hostName() : host) + ":" + server.port() + "/ws";
        String api = apiUrl != null && !apiUrl.isBlank() ? apiUrl
                : server.apiPort() < 0 ? null : "http://" + (host.equals("0.0.0.0") ? hostName() : host) + ":" + server.apiPort();
        var status = server.status();
        return Startup.redis(spec, registry(), uri,
                () -> new NodeRegistration(resources, uri, server.nodeId(), url, capacity, () -> server.hub().sessionCount(),
                        server::isDraining, RegistryOptions.defaults(), api, status::snapshot));
    }

    /** The one Redis for the node registry and presence leases: --registry, or --redis when it names one Redis. */
    private String registryRedis() {
        return registry != null && !registry.isBlank() ? registry : broker.singleRedis();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    @Override
    public Integer call() throws Exception {
        validate();
        if (messagesUrl != null && internal.value() == null) {
            throw OptionProblems.of(spec, "--messages-url", "needs the fleet's internal credential to present to it: "
                    + "--internal-key (or $" + InternalKeyOption.ENV + "), the message-service's --internal-key", null);
        }
        EdgeServerOptions options = options();
        var verifier = auth.verifier(spec);
        var keys = auth.apiKeys(spec);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmMeters.bindTo(registry);
        // The process's one set of Lettuce resources: broker, presence and registry share it; closed last.
        RedisResources redisResources = RedisResources.create();
        Broker brk = broker.create(spec, registry, redisResources);
        EdgeServer.Builder builder = EdgeServer.builder(options).tokenVerifier(verifier)
                .apiKeys(keys).broker(brk).meterRegistry(registry);
        if (tlsCert != null) {
            try {
                builder.ssl(dev.switchboard.edge.pipeline.Tls.server(tlsCert, tlsKey));
            } catch (javax.net.ssl.SSLException | RuntimeException e) {
                throw new StartupFailure("cannot use --tls-cert " + tlsCert + " with --tls-key " + tlsKey + ": " + Startup.rootMessage(e), e);
            }
        }
        if (registryRedis() != null) {
            String presence = registryRedis();
            builder.presenceStore(Startup.redis(spec, registry(), presence,
                    () -> RedisPresenceStore.connect(redisResources, presence, RedisPresenceStore.DEFAULT_PREFIX,
                            options.presenceTtl(), RedisPresenceStore.DEFAULT_COMMAND_TIMEOUT)));
        }
        if (messagesUrl != null) {
            builder.chatBackend(new HttpChatBackend(messagesUrl, internal.value(), java.time.Duration.ofSeconds(5)));
        }
        EdgeServer server = Startup.listen(spec, host, List.of("--port", "--api-port"), () -> {
            try {
                return builder.start();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting", e);
            }
        });
        NodeRegistration registration = register(server, redisResources);
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            if (registration != null) {
                registration.close();
            }
            server.close();
            brk.close();
            redisResources.close();
            stopped.countDown();
        };
        Thread hook = new Thread(stop, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // A drained node leaves by itself: deregister, close, exit. Not on the event loop that
        // completes drained(): closing the server waits for its event loops to terminate.
        server.drained().thenRun(() -> Thread.ofPlatform().name("drained").start(() -> {
            if (registration != null) {
                registration.beatNow();
            }
            Runtime.getRuntime().removeShutdownHook(hook);
            stop.run();
        }));
        stopped.await();
        return 0;
    }

    private String registry() {
        return registry != null && !registry.isBlank() ? "--registry" : "--redis";
    }
}
