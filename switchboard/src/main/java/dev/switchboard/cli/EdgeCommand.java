package dev.switchboard.cli;

import dev.switchboard.balancer.NodeRegistration;
import dev.switchboard.bridge.Broker;
import dev.switchboard.edge.EdgeServer;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.edge.chat.HttpChatBackend;
import dev.switchboard.edge.presence.RedisPresenceStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code switchboard edge}: runs one edge node until SIGTERM/SIGINT, then shuts it down gracefully. */
@Command(name = "edge", mixinStandardHelpOptions = true, subcommands = EdgeDrainCommand.class,
        description = "Run an edge node: the WebSocket endpoint at /ws and the server API. 'edge drain' drains a running node.")
final class EdgeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = EdgeServerOptions.DEFAULT_HOST, description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "WebSocket port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--api-port", defaultValue = "8081",
            description = "Server API and /metrics port; -1 turns it off (default: ${DEFAULT-VALUE}). Needs --api-key.")
    int apiPort;

    @Option(names = "--node-id", defaultValue = "${env:SWITCHBOARD_NODE_ID}", description = "This node's id (default: $SWITCHBOARD_NODE_ID or a random one).")
    String nodeId;

    @Option(names = "--messages-url", defaultValue = "${env:SWITCHBOARD_MESSAGES_URL}",
            description = "The message-service (e.g. http://127.0.0.1:8090) for chat channels; without it the node serves ephemeral channels only.")
    java.net.URI messagesUrl;

    @Option(names = "--messages-api-key", defaultValue = "${env:SWITCHBOARD_MESSAGES_API_KEY}",
            description = "API key the node presents to the message-service (default: the first --api-key).")
    String messagesApiKey;

    @Option(names = "--registry", defaultValue = "${env:SWITCHBOARD_REGISTRY}",
            description = "Redis (redis://host:port) where the node registers for the balancer (default: --redis when it names one Redis).")
    String registry;

    @Option(names = "--public-url", defaultValue = "${env:SWITCHBOARD_PUBLIC_URL}",
            description = "The WebSocket URL clients use to reach this node (default: ws://<host>:<port>/ws).")
    String publicUrl;

    @Option(names = "--capacity", defaultValue = "20000", description = "Connections this node should hold at most, for placement (default: ${DEFAULT-VALUE}).")
    int capacity;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain (PEM) for TLS on the public port (wss://); needs --tls-key.")
    java.io.File tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key (PKCS#8 PEM) for --tls-cert.")
    java.io.File tlsKey;

    @Mixin
    AuthOptions auth = new AuthOptions();

    @Mixin
    BrokerOption broker = new BrokerOption();

    @Mixin
    EdgeTuning tuning = new EdgeTuning();

    private NodeRegistration register(EdgeServer server) {
        String uri = registryRedis();
        if (uri == null) {
            return null;
        }
        String url = publicUrl != null && !publicUrl.isBlank() ? publicUrl
                : "ws://" + (host.equals("0.0.0.0") ? hostName() : host) + ":" + server.port() + "/ws";
        return new NodeRegistration(uri, server.nodeId(), url, capacity, () -> server.hub().sessionCount(), server::isDraining);
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
        EdgeServerOptions.Builder b = tuning.applyTo(EdgeServerOptions.builder().host(host).port(port).apiPort(apiPort));
        if (nodeId != null && !nodeId.isBlank()) {
            b.nodeId(nodeId);
        }
        EdgeServerOptions options;
        try {
            options = b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        dev.switchboard.balancer.cli.JvmMeters.bindTo(registry);
        Broker brk = broker.create(registry);
        EdgeServer.Builder builder = EdgeServer.builder(options).tokenVerifier(auth.verifier(spec.commandLine()))
                .apiKeys(auth.apiKeys(spec.commandLine())).broker(brk).meterRegistry(registry);
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        if (tlsCert != null) {
            builder.ssl(dev.switchboard.edge.pipeline.Tls.server(tlsCert, tlsKey));
        }
        if (registryRedis() != null) {
            builder.presenceStore(RedisPresenceStore.connect(registryRedis(), RedisPresenceStore.DEFAULT_PREFIX, options.presenceTtl()));
        }
        if (messagesUrl != null) {
            String key = messagesApiKey != null && !messagesApiKey.isBlank() ? messagesApiKey
                    : auth.apiKeys.isEmpty() ? null : auth.apiKeys.get(0);
            if (key == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--messages-url needs --messages-api-key or --api-key");
            }
            builder.chatBackend(new HttpChatBackend(messagesUrl, key, java.time.Duration.ofSeconds(5)));
        }
        EdgeServer server = builder.start();
        NodeRegistration registration = register(server);
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            if (registration != null) {
                registration.close();
            }
            server.close();
            brk.close();
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
}
