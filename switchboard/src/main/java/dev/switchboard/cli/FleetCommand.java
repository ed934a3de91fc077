package dev.switchboard.cli;

import dev.switchboard.auth.ApiKeys;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard fleet --edges N}: the production topology as local processes
 * for demos and load tests (docs/operations.md, "A local fleet"): a message-service,
 * N edge nodes and a balancer, each a child JVM running this launcher's own
 * subcommand on the local Redis and PostgreSQL. Prints the URLs and credentials,
 * prefixes every child's log lines with its name, reports a child that exits, and
 * stops them all on Ctrl-C or SIGTERM ({@link FleetProcesses}).
 */
@Command(name = "fleet", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A local fleet for demos and load tests: N edge processes, a message-service and a balancer on the "
                + "local Redis and PostgreSQL. Prints the URLs and credentials; Ctrl-C stops every process.",
                "Ports: balancer <base-port>, message-service <base-port>+20, edge i (1..N) <base-port>+30+2(i-1) "
                        + "(WebSocket) and the next (server API, /metrics)."})
public final class FleetCommand implements Callable<Integer> {
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--edges", defaultValue = "2", description = "Edge processes (default: ${DEFAULT-VALUE}).")
    int edges;

    @Option(names = "--redis", paramLabel = "URI", defaultValue = "${env:SWITCHBOARD_REDIS:-redis://127.0.0.1:6379}",
            description = "The Redis of the fleet (default: ${DEFAULT-VALUE}).")
    String redis;

    @Option(names = "--db", defaultValue = "${env:SWITCHBOARD_DB_URL:-jdbc:postgresql://127.0.0.1:5432/switchboard?user=postgres}",
            description = "JDBC URL of the message-service's database, created if missing (default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address every process listens on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--base-port", defaultValue = "8070", description = "First port of the fleet's range (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--jwt-secret", defaultValue = "${env:SWITCHBOARD_JWT_SECRET}",
            description = "HS256 secret of connection tokens, at least 32 bytes (default: a random one, printed).")
    String jwtSecret;

    @Option(names = "--api-key", defaultValue = "${env:SWITCHBOARD_API_KEYS}",
            description = "The fleet's platform API key, platform:SECRET or the bare SECRET of at least 16 characters"
                    + " (default: a random one, printed).")
    String apiKey;

    @Option(names = "--internal-key", defaultValue = "${env:" + InternalKeyOption.ENV + "}",
            description = "The internal credential edges present to the message-service, at least 16 characters"
                    + " (default: a random one).")
    String internalKey;

    @Option(names = "--java-opts", defaultValue = "${env:SWITCHBOARD_FLEET_JAVA_OPTS:--Xmx512m}",
            description = "JVM options of each child, space-separated (default: ${DEFAULT-VALUE}).")
    String javaOpts;

    int balancerPort() {
        return basePort;
    }

    int messagesPort() {
        return basePort + 20;
    }

    int edgePort(int i) {
        return basePort + 30 + 2 * (i - 1);
    }

    @Override
    public Integer call() throws Exception {
        validate();
        String secret = jwtSecret != null && !jwtSecret.isBlank() ? jwtSecret : random(24);
        String key = apiKey != null && !apiKey.isBlank() ? ApiKeys.secretOf(apiKey.split(",")[0]) : "fleet-" + random(12);
        String internal = internalKey != null && !internalKey.isBlank() ? internalKey.split(",")[0].strip() : random(16);
        FleetProcesses fleet = new FleetProcesses(System.out, childCommand(), secret, key, internal);
        Runtime.getRuntime().addShutdownHook(new Thread(fleet::stop, "fleet-stop"));
        String messagesUrl = "http://" + host + ":" + messagesPort();
        try {
            if (FleetDatabase.ensureExists(db)) {
                System.out.println("fleet: created the database " + FleetDatabase.nameOf(db).orElseThrow());
            }
        } catch (java.sql.SQLException e) {
            System.out.println("fleet: could not check the database (" + e.getMessage() + "); the message-service's start says more");
        }
        try {
            fleet.start("messages", List.of("messages", "--host", host, "--port", Integer.toString(messagesPort()),
                    "--db", db, "--redis", redis));
            fleet.awaitPort("messages", host, messagesPort(), START_TIMEOUT);
            for (int i = 1; i <= edges; i++) {
                fleet.start("edge-" + i, List.of("edge", "--host", host, "--port", Integer.toString(edgePort(i)),
                        "--api-port", Integer.toString(edgePort(i) + 1), "--node-id", "edge-" + i, "--redis", redis,
                        "--messages-url", messagesUrl));
            }
            for (int i = 1; i <= edges; i++) {
                fleet.awaitPort("edge-" + i, host, edgePort(i), START_TIMEOUT);
            }
            fleet.start("balancer", List.of("balancer", "--host", host, "--port", Integer.toString(balancerPort()), "--redis", redis));
            fleet.awaitPort("balancer", host, balancerPort(), START_TIMEOUT);
        } catch (FleetProcesses.ChildFailed e) {
            fleet.stop();
            throw new StartupFailure(e.getMessage() + " (its log lines above say why)");
        }
        System.out.println(summary(secret, key, messagesUrl));
        fleet.started();
        new CountDownLatch(1).await(); // until a signal: the shutdown hook stops the children
        return 0;
    }

    void validate() {
        if (edges < 1 || edges > 32) {
            throw OptionProblems.of(spec, "--edges", edges + " is out of range: give 1-32", null);
        }
        if (basePort < 1 || basePort + 31 + 2 * edges > 65535) {
            throw OptionProblems.of(spec, "--base-port", basePort + " leaves no room for the fleet's ports below 65536", null);
        }
        if (!redis.startsWith("redis://")) {
            throw OptionProblems.of(spec, "--redis", "'" + redis + "' is not a redis://host:port URI", null);
        }
        if (!db.startsWith("jdbc:")) {
            throw OptionProblems.of(spec, "--db", "'" + db + "' is not a JDBC URL (jdbc:postgresql://host:port/db?user=...)", null);
        }
        if (jwtSecret != null && !jwtSecret.isBlank() && jwtSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            throw OptionProblems.of(spec, "--jwt-secret", "is shorter than 32 bytes", null);
        }
        if (apiKey != null && !apiKey.isBlank() && apiKey.strip().startsWith(ApiKeys.ORG_PREFIX)) {
            throw OptionProblems.of(spec, "--api-key", "the fleet's key is a platform key: give platform:SECRET or the bare SECRET", null);
        }
        if (apiKey != null && !apiKey.isBlank() && ApiKeys.secretOf(apiKey.split(",")[0]).length() < ApiKeys.MIN_SECRET_LENGTH) {
            throw OptionProblems.of(spec, "--api-key", "its secret is shorter than " + ApiKeys.MIN_SECRET_LENGTH + " characters", null);
        }
        if (internalKey != null && !internalKey.isBlank() && internalKey.split(",")[0].strip().length() < ApiKeys.MIN_SECRET_LENGTH) {
            throw OptionProblems.of(spec, "--internal-key", "is shorter than " + ApiKeys.MIN_SECRET_LENGTH + " characters", null);
        }
        for (int port : ports()) {
            if (inUse(host, port)) {
                throw OptionProblems.of(spec, "--base-port", "port " + port + " of the fleet's range is in use on " + host
                        + ": stop what listens there or give another --base-port", null);
            }
        }
    }

    private List<Integer> ports() {
        List<Integer> ports = new ArrayList<>(List.of(balancerPort(), messagesPort()));
        for (int i = 1; i <= edges; i++) {
            ports.add(edgePort(i));
            ports.add(edgePort(i) + 1);
        }
        return ports;
    }

    private static boolean inUse(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException free) {
            return false;
        }
    }

    /** The java command of a child: this JVM's binary and class path, the launcher's main class. */
    private List<String> childCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String opt : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // The launcher's own flags (GC, native access, log format), not a debugger's or a heap size's.
            if (!opt.startsWith("-agentlib") && !opt.startsWith("-javaagent") && !opt.startsWith("-Xmx") && !opt.startsWith("-Xms")) {
                cmd.add(opt);
            }
        }
        for (String opt : javaOpts.trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                cmd.add(opt);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        return cmd;
    }

    private String summary(String secret, String key, String messagesUrl) {
        StringBuilder b = new StringBuilder();
        b.append("\nswitchboard fleet: ").append(edges).append(edges == 1 ? " edge" : " edges")
                .append(", a message-service and a balancer are up (Ctrl-C stops them all)\n");
        b.append(String.format("  %-16s http://%s:%d/v1/connect (clients ask it for a node)%n", "balancer", host, balancerPort()));
        b.append(String.format("  %-16s http://%s:%d/fleet (the API key below)%n", "fleet page", host, balancerPort()));
        b.append(String.format("  %-16s %s (REST API)%n", "message-service", messagesUrl));
        for (int i = 1; i <= edges; i++) {
            b.append(String.format("  %-16s ws://%s:%d/ws, server API and /metrics http://%s:%d%n", "edge-" + i, host, edgePort(i),
                    host, edgePort(i) + 1));
        }
        b.append(String.format("  %-16s %s%n", "JWT secret", secret));
        b.append(String.format("  %-16s %s (a platform key: X-Api-Key for the REST and server APIs and the fleet page)%n", "API key", key));
        b.append(String.format("  %-16s bin/switchboard token --jwt-secret '%s' --user alice --org acme%n", "a token", secret));
        b.append(String.format("  %-16s bin/switchboard loadgen --target switchboard=ws://%s:%d/ws --jwt-secret '%s' ...%n",
                "load", host, edgePort(1), secret));
        return b.toString();
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
