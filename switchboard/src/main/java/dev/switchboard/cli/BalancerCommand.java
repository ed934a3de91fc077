package dev.switchboard.cli;

import dev.switchboard.bridge.redis.RedisResources;
import dev.switchboard.balancer.BalancerOptions;
import dev.switchboard.balancer.BalancerServer;
import dev.switchboard.balancer.RegistryOptions;
import dev.switchboard.cli.config.Validating;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code switchboard balancer}: runs one balancer instance until SIGTERM/SIGINT.
 * Options map onto {@link BalancerOptions} (docs/balancer.md).
 */
@Command(name = "balancer", description = "Run a connection balancer: GET /v1/connect tells a client which edge node to use.")
final class BalancerCommand implements Callable<Integer>, Validating {
    /** BalancerOptions' fields whose options are named otherwise. */
    private static final Map<String, String> FIELDS = Map.of("maxFallbacks", "--fallbacks", "refreshInterval", "--refresh",
            "keyPrefix", "--registry-prefix", "maxViewAge", "--refresh");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = BalancerOptions.DEFAULT_HOST, description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "" + BalancerOptions.DEFAULT_PORT, description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--io-threads", defaultValue = "" + BalancerOptions.DEFAULT_IO_THREADS,
            description = "Event loop threads (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--redis", paramLabel = "URI", defaultValue = "${env:SWITCHBOARD_REDIS}",
            description = "Redis holding the node registry, redis://host:port (of a comma-separated list, the first).")
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

    @Option(names = "--refresh", defaultValue = "500ms", description = "How often the registry is read (default: ${DEFAULT-VALUE}).")
    Duration refresh;

    /** Deprecated: {@code --refresh-ms 250} was the only integer duration; {@code --refresh 250ms} replaces it. */
    @Option(names = "--refresh-ms", hidden = true, description = "Deprecated: use --refresh 250ms.")
    Long refreshMillis;

    @Mixin
    AuthOptions auth = new AuthOptions();

    /** The first URI of --redis: the registry lives there. */
    private String registryUri() {
        return redis == null ? null : redis.split(",")[0].strip();
    }

    BalancerOptions options() {
        try {
            return BalancerOptions.builder().host(host).port(port).ioThreads(ioThreads).loadFactor(loadFactor).minShare(minShare)
                    .maxFallbacks(fallbacks).refreshInterval(refreshMillis != null ? Duration.ofMillis(refreshMillis) : refresh)
                    .registry(RegistryOptions.builder().keyPrefix(registryPrefix).build()).build();
        } catch (IllegalArgumentException e) {
            throw OptionProblems.of(spec, e, FIELDS);
        }
    }

    @Override
    public void validate() {
        options();
        if (redis != null && !redis.isBlank() && !registryUri().startsWith("redis://")) {
            throw OptionProblems.of(spec, "--redis", "'" + redis + "' does not start with a redis://host:port URI (the registry)", null);
        }
        auth.validate(spec);
    }

    @Override
    public Integer call() throws Exception {
        if (redis == null || redis.isBlank()) {
            throw OptionProblems.of(spec, "--redis", "is required (or $SWITCHBOARD_REDIS): the node registry lives there", null);
        }
        validate();
        var verifier = auth.verifier(spec);
        var keys = auth.apiKeys(spec);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmMeters.bindTo(meters);
        // The process's one set of Lettuce resources (the registry reader's); closed after the server.
        RedisResources redisResources = RedisResources.create();
        BalancerServer server = Startup.listen(spec, host, List.of("--port"), () -> Startup.redis(spec, "--redis", registryUri(),
                () -> {
                    try {
                        return BalancerServer.builder(options()).redis(registryUri()).redisResources(redisResources).tokenVerifier(verifier)
                                .apiKeys(keys).meterRegistry(meters).start();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while starting", e);
                    }
                }));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            redisResources.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
