package dev.switchboard.balancer.cli;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.balancer.BalancerOptions;
import dev.switchboard.balancer.BalancerServer;
import dev.switchboard.balancer.RegistryOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard balancer}: runs one balancer instance until SIGTERM/SIGINT.
 * The launcher registers this class as a subcommand; options map onto
 * {@link BalancerOptions} (docs/balancer.md).
 */
@Command(name = "balancer", mixinStandardHelpOptions = true,
        description = "Run a connection balancer: GET /v1/connect tells a client which edge node to use.")
public final class BalancerCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = BalancerOptions.DEFAULT_HOST, description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "" + BalancerOptions.DEFAULT_PORT, description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--redis", paramLabel = "URI", defaultValue = "${env:SWITCHBOARD_REDIS}",
            description = "Redis holding the node registry, redis://host:port (of a comma-separated list, the first) (default: $SWITCHBOARD_REDIS).")
    String redis;

    @Option(names = "--registry-prefix", defaultValue = RegistryOptions.DEFAULT_KEY_PREFIX,
            description = "Key prefix of the registry; the same as the edge nodes' (default: ${DEFAULT-VALUE}).")
    String registryPrefix;

    @Option(names = "--load-factor", defaultValue = "" + BalancerOptions.DEFAULT_LOAD_FACTOR,
            description = "No node above this times its share of the load (default: ${DEFAULT-VALUE}).")
    double loadFactor;

    @Option(names = "--min-share", defaultValue = "" + BalancerOptions.DEFAULT_MIN_SHARE,
            description = "Connections below which a node is never considered overloaded (default: ${DEFAULT-VALUE}).")
    int minShare;

    @Option(names = "--fallbacks", defaultValue = "" + BalancerOptions.DEFAULT_MAX_FALLBACKS,
            description = "Most fallback nodes in an answer (default: ${DEFAULT-VALUE}).")
    int fallbacks;

    @Option(names = "--refresh-ms", defaultValue = "500", description = "How often the registry is read, in ms (default: ${DEFAULT-VALUE}).")
    long refreshMs;

    @Option(names = "--jwt-secret", defaultValue = "${env:SWITCHBOARD_JWT_SECRET}",
            description = "HS256 secret for connection tokens, at least 32 bytes (default: $SWITCHBOARD_JWT_SECRET).")
    String jwtSecret;

    @Option(names = "--jwt-previous-secret", defaultValue = "${env:SWITCHBOARD_JWT_PREVIOUS_SECRET}",
            description = "A second HS256 secret still accepted during a key rotation.")
    String jwtPreviousSecret;

    @Option(names = "--jwt-public-key", paramLabel = "FILE", description = "RS256 public key (PEM or DER); repeatable.")
    List<Path> jwtPublicKeys = new ArrayList<>();

    @Option(names = "--api-key", paramLabel = "KEY", split = ",", defaultValue = "${env:SWITCHBOARD_API_KEYS}",
            description = "API key(s) for GET /v1/nodes, at least 16 characters (default: $SWITCHBOARD_API_KEYS).")
    List<String> apiKeys = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (redis == null || redis.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--redis (or $SWITCHBOARD_REDIS) is required: the registry lives there");
        }
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmMeters.bindTo(meters);
        BalancerServer server = BalancerServer.builder(options()).redis(redis)
                .tokenVerifier(verifier()).apiKeys(keys()).meterRegistry(meters).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    BalancerOptions options() {
        try {
            return BalancerOptions.builder().host(host).port(port).loadFactor(loadFactor).minShare(minShare)
                    .maxFallbacks(fallbacks).refreshInterval(java.time.Duration.ofMillis(refreshMs))
                    .registry(RegistryOptions.builder().keyPrefix(registryPrefix).build()).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    TokenVerifier verifier() {
        TokenVerifier.Builder b = TokenVerifier.builder();
        try {
            if (jwtSecret != null && !jwtSecret.isBlank()) {
                b.hs256Secret(jwtSecret);
            }
            if (jwtPreviousSecret != null && !jwtPreviousSecret.isBlank()) {
                b.hs256Secret(jwtPreviousSecret);
            }
            for (Path p : jwtPublicKeys) {
                b.rs256PublicKeyFile(p);
            }
            return b.build();
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "token keys: " + e.getMessage());
        }
    }

    ApiKeys keys() {
        List<String> k = apiKeys == null ? List.of() : apiKeys.stream().filter(s -> s != null && !s.isBlank()).toList();
        try {
            return k.isEmpty() ? null : new ApiKeys(k);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--api-key: " + e.getMessage());
        }
    }

    /** Runs the balancer alone, without the launcher. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BalancerCommand()).execute(args));
    }
}
