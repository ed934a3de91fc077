package dev.switchboard.cli;

import dev.switchboard.app.DemoData;
import dev.switchboard.app.DevSystem;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.bridge.memory.MemoryBroker;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.message.media.MediaOptions;
import dev.switchboard.message.push.PushOptions;
import dev.switchboard.message.store.DatabaseOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import dev.switchboard.cli.config.Validating;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard dev}: the whole system in one JVM with no servers to install
 * (in-memory broker, embedded database under --data), plus demo users, so that
 * a newcomer has a working chat backend with one command.
 */
@Command(name = "dev",
        description = "Run an edge node and the message-service in one JVM, with an in-memory broker and an embedded database "
                + "(no servers to install), the web client and demo users. There is no balancer: clients connect to the edge directly.")
final class DevCommand implements Callable<Integer>, Validating {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port for /ws and /v1/... (default: ${DEFAULT-VALUE}); the server API is on port+1.")
    int port;

    @Option(names = "--data", defaultValue = "data", description = "Directory of the embedded database and dev secrets (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--jwt-secret", defaultValue = "${env:SWITCHBOARD_JWT_SECRET}",
            description = "HS256 secret (default: one generated and kept in the data directory).")
    String jwtSecret;

    @Option(names = "--api-key", split = ",", defaultValue = "${env:" + AuthOptions.API_KEYS_ENV + "}",
            description = "Server API keys, as for 'edge' ('org:ORG:SECRET' or 'platform:SECRET'; default: a platform "
                    + "key generated and kept in the data directory).")
    java.util.List<String> apiKey = new java.util.ArrayList<>();

    @picocli.CommandLine.Mixin
    InternalKeyOption internal = new InternalKeyOption();

    @Option(names = "--no-demo", description = "Do not create the demo organisation, users and channel.")
    boolean noDemo;

    @Option(names = "--push-webhook", paramLabel = "URL", defaultValue = "${env:SWITCHBOARD_PUSH_WEBHOOK}",
            description = "Where offline push notifications are POSTed (APNs/FCM-shaped JSON); none by default.")
    java.net.URI pushWebhook;

    EdgeServerOptions options() {
        try {
            return EdgeServerOptions.builder().host(host).port(port).apiPort(port + 1).nodeId("dev").build();
        } catch (IllegalArgumentException e) {
            throw OptionProblems.of(spec, e, java.util.Map.of("apiPort", "--port"));
        }
    }

    @Override
    public void validate() {
        options();
        if (jwtSecret != null && !jwtSecret.isBlank() && jwtSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            throw OptionProblems.of(spec, "--jwt-secret", "an HS256 secret must be at least 32 bytes (generate one: openssl rand -hex 32)", null);
        }
        internal.ring(spec, givenKeys());
    }

    /** The keys of --api-key, or null when none is given. */
    private dev.switchboard.auth.ApiKeys givenKeys() {
        java.util.List<String> given = apiKey == null ? java.util.List.of() : apiKey.stream().filter(k -> k != null && !k.isBlank()).toList();
        if (given.isEmpty()) {
            return null;
        }
        try {
            return dev.switchboard.auth.ApiKeys.parse(given);
        } catch (IllegalArgumentException e) {
            throw OptionProblems.of(spec, "--api-key", e.getMessage() + " (generate one: openssl rand -hex 16)", e);
        }
    }

    @Override
    public Integer call() throws Exception {
        validate();
        Files.createDirectories(data);
        String secret = jwtSecret != null && !jwtSecret.isBlank() ? jwtSecret : persisted("jwt-secret", 32);
        dev.switchboard.auth.ApiKeys given = givenKeys();
        String key = given != null ? AuthOptions.first(apiKey) : persisted("api-key", 16);
        String internalKey = internal.value() != null ? internal.value() : persisted("internal-key", 32);
        dev.switchboard.auth.ApiKeys backends = given != null ? given : new dev.switchboard.auth.ApiKeys(java.util.List.of(key));
        dev.switchboard.auth.ApiKeys keys;
        if (internal.value() != null) {
            keys = internal.ring(spec, backends);
        } else {
            try {
                keys = backends.and(dev.switchboard.auth.ApiKeys.internal(internalKey));
            } catch (IllegalArgumentException e) {
                throw OptionProblems.of(spec, "--internal-key", e.getMessage(), e);
            }
        }
        EdgeServerOptions options = options();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmMeters.bindTo(registry);
        MemoryBroker broker = new MemoryBroker();
        PushOptions push = pushWebhook == null ? PushOptions.disabled() : PushOptions.builder().webhookUrl(pushWebhook).build();
        DevSystem system = Startup.listen(spec, host, java.util.List.of("--port"), () -> {
            try {
                return DevSystem.start(options, DatabaseOptions.embedded(data.resolve("db")), broker, secret, keys, registry,
                        MediaOptions.filesystem(data.resolve("media")), push);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting", e);
            }
        });
        String base = "http://" + host + ":" + system.edge().port();
        TokenIssuer issuer = new TokenIssuer(secret);
        System.out.println();
        System.out.println("Switchboard dev is running (data in " + data.toAbsolutePath() + ")");
        System.out.println("  WebSocket     ws://" + host + ":" + system.edge().port() + "/ws?token=<token>");
        System.out.println("  REST API      " + base + "/v1/...        (Authorization: Bearer <token>)");
        System.out.println("  web client    " + base + "/app/          (paste a token, or open " + base + "/app/#token=<token>)");
        System.out.println("  server API    http://" + host + ":" + system.edge().apiPort() + "/v1/...  (X-Api-Key: " + key
                + ", " + keys.find(key).describe() + ")");
        System.out.println("  internal key  " + internalKey + "  (for an edge started apart: --messages-url " + base
                + " --internal-key ...)");
        System.out.println("  metrics       http://" + host + ":" + system.edge().apiPort() + "/metrics");
        if (!noDemo) {
            DemoData.Seeded demo = DemoData.seed(system.chat()).join();
            System.out.println("  demo org 'demo': users alice and bob, channel #general (" + demo.generalChannel() + ")");
            System.out.println("  token alice   " + issuer.issue("alice", "demo", Duration.ofDays(7)));
            System.out.println("  token bob     " + issuer.issue("bob", "demo", Duration.ofDays(7)));
        }
        System.out.println("  more tokens   bin/switchboard token --user U --org O --jwt-secret " + secret);
        System.out.println();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            system.close();
            broker.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    /** A random secret kept in the data directory (owner-only), so tokens stay valid across restarts. */
    private String persisted(String name, int bytes) throws IOException {
        return DevSecrets.persisted(data, name, bytes);
    }
}
