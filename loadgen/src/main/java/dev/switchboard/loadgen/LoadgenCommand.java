package dev.switchboard.loadgen;

import dev.switchboard.loadgen.check.Threshold;
import dev.switchboard.loadgen.net.SourceAddresses;
import dev.switchboard.loadgen.report.RunEnvironment;
import dev.switchboard.loadgen.run.WorkerLauncher;
import dev.switchboard.loadgen.scenario.Slice;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard loadgen}: the command line of the load generator. The
 * launcher registers this class as a subcommand; {@link #main} runs it alone.
 * Options map one to one onto {@link LoadgenOptions}; see docs/loadgen.md.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        description = {"WebSocket load generator for Switchboard (and, to compare, Pusher-protocol servers such as Soketi and",
                "the uWebSockets.js mini pub/sub server). Runs one scenario (idle, fanout, chat, storm, rounds) against each --target in turn, prints a progress line",
                "every second and a summary table at the end; --out DIR also gets summary.json, latency.hlog and",
                "report.html. Bounded by --connections, --duration and --timeout; targets loopback unless told.",
                "--threshold makes it a CI check (see the exit codes below and docs/loadgen.md)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every target ran and met every threshold",
                "1:a threshold was not met (connect_failures==0 applies unless one names connect failures)",
                "2:bad options", "3:a target's run could not complete"})
public final class LoadgenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scenario-file", paramLabel = "FILE",
            description = "Properties file of options (keys are option names without dashes); the command line wins.")
    Path scenarioFile;

    @Option(names = "--scenario", defaultValue = "idle", description = "idle, fanout, chat, storm or rounds (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--target", paramLabel = "PROTOCOL=URL", description = {"Server to drive; repeat to compare servers in one run.",
            "switchboard=ws://127.0.0.1:8080/ws (default), pusher=ws://127.0.0.1:6001/app/<key> or uws=ws://127.0.0.1:7001/."})
    List<String> targets = new ArrayList<>();

    @Option(names = "--publish-target", paramLabel = "URL",
            description = "fanout, switchboard: publishers connect here instead of to the target, e.g. another node of the fleet.")
    URI publishTarget;

    @Option(names = "--connections", defaultValue = "" + LoadgenOptions.DEFAULT_CONNECTIONS,
            description = "Client connections (subscribers, users) in all processes (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--ramp-rate", defaultValue = "" + LoadgenOptions.DEFAULT_RAMP_RATE,
            description = "New connections per second, also when reconnecting in storm (default: ${DEFAULT-VALUE}).")
    int rampRate;

    @Option(names = "--duration", defaultValue = "10s", converter = Durations.class,
            description = "How long to hold (idle, storm) or publish after the warmup (fanout, chat) (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "2s", converter = Durations.class,
            description = "Publishing before latency is recorded (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--drain", defaultValue = "3s", converter = Durations.class,
            description = "Wait after the last publication for deliveries in flight; one process stops once all arrived (default: ${DEFAULT-VALUE}).")
    Duration drain;

    @Option(names = "--timeout", defaultValue = "15m", converter = Durations.class,
            description = "Hard limit on one target's run; it stops by itself (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--handshake-timeout", defaultValue = "15s", converter = Durations.class,
            description = "Limit on TCP connect plus WebSocket upgrade (default: ${DEFAULT-VALUE}).")
    Duration handshakeTimeout;

    @Option(names = "--warm-passes", defaultValue = "0",
            description = "Unmeasured passes of the whole scenario against each target before its measured one: JIT warm-up "
                    + "of a freshly started server and of loadgen itself, so that neither the first target nor a new server "
                    + "pays for it (default: ${DEFAULT-VALUE}).")
    int warmPasses;

    @Option(names = "--warm-target", paramLabel = "PROTOCOL=URL",
            description = {"Send the --warm-passes here instead of to the measured targets (repeatable): the load "
                    + "generator warms up while the servers under test stay fresh."})
    List<String> warmTargets = new ArrayList<>();

    @Option(names = "--connect-concurrency", defaultValue = "0",
            description = "Handshakes in flight per process (connect until ready and subscribed), opening the next as one "
                    + "completes; 0: open at --ramp-rate (default: ${DEFAULT-VALUE}).")
    int connectConcurrency;

    @Option(names = "--rounds", defaultValue = "" + LoadgenOptions.DEFAULT_ROUNDS,
            description = "rounds: times the connections are opened, held --duration and closed (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--channels", defaultValue = "" + LoadgenOptions.DEFAULT_CHANNELS,
            description = "Channels; subscriber i joins channel i mod channels (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--publishers", defaultValue = "" + LoadgenOptions.DEFAULT_PUBLISHERS,
            description = "Publisher connections, round-robin (fanout over WebSocket) (default: ${DEFAULT-VALUE}).")
    int publishers;

    @Option(names = "--rate", defaultValue = "" + LoadgenOptions.DEFAULT_RATE,
            description = "Offered publications (fanout) or messages (chat) per second, open model (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--payload-size", defaultValue = "" + LoadgenOptions.DEFAULT_PAYLOAD_SIZE,
            description = "Bytes of each fanout payload, 8 or more (default: ${DEFAULT-VALUE}).")
    int payloadSize;

    @Option(names = "--memberships", defaultValue = "" + LoadgenOptions.DEFAULT_MEMBERSHIPS,
            description = "chat: channels each user belongs to (default: ${DEFAULT-VALUE}).")
    int memberships;

    @Option(names = "--group-size", defaultValue = "" + LoadgenOptions.DEFAULT_GROUP_SIZE,
            description = "chat: members of each group channel (default: ${DEFAULT-VALUE}).")
    int groupSize;

    @Option(names = "--source-addresses", paramLabel = "ADDRS",
            description = "Loopback addresses to bind client sockets to, round-robin, e.g. 127.0.0.2-127.0.0.9.")
    String sourceAddresses;

    @Option(names = "--workers", defaultValue = "0",
            description = "Worker processes; 0: one per --max-connections-per-process connections (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--max-connections-per-process", defaultValue = "" + LoadgenOptions.DEFAULT_MAX_CONNECTIONS_PER_PROCESS,
            description = "Sockets one process may hold (a process may open 20,000 files here) (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerProcess;

    @Option(names = "--io-threads", defaultValue = "0",
            description = "Event loop threads per process; 0: one per core (default: ${DEFAULT-VALUE}).")
    int eventLoops;

    /** Deprecated name of --io-threads (the servers' name for the same thing). */
    @Option(names = "--event-loops", hidden = true, description = "Deprecated: use --io-threads.")
    Integer deprecatedEventLoops;

    @Option(names = "--threshold", paramLabel = "EXPR", split = ",",
            description = {"Pass/fail criterion every target must meet, else loadgen exits 1; repeat or comma-separate.",
                    "e.g. p99<50ms, handshake_p99<200ms, error_rate<0.1%, delivered>=99.9%, delivered_per_s>=900,",
                    "connect_failures<=10. Unless one names connect_failures(_rate), connect_failures==0 applies."})
    List<String> thresholds = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Directory for summary.json, summary.txt, latency.hlog, report.html.")
    Path outDir;

    @Option(names = "--jwt-secret", defaultValue = "${env:" + WorkerLauncher.ENV_JWT_SECRET + "}",
            description = "The edge's HS256 secret, to mint a token per user.")
    String jwtSecret;

    @Option(names = "--org", defaultValue = LoadgenOptions.DEFAULT_ORG,
            description = "Organisation of the test users and channels (default: ${DEFAULT-VALUE}).")
    String org;

    @Option(names = "--api-url", defaultValue = "http://127.0.0.1:8081",
            description = "The edge's server API, for GET /v1/stats (default: ${DEFAULT-VALUE}).")
    URI apiUrl;

    @Option(names = "--api-key", split = ",", defaultValue = "${env:" + WorkerLauncher.ENV_API_KEY + "}",
            description = "Server API key (X-Api-Key), for stats and chat setup; of a comma-separated list, the first "
                    + "(of an entry org:ORG:SECRET or platform:SECRET, the secret).")
    List<String> apiKey = new ArrayList<>();

    @Option(names = "--chat-api-url", description = "chat: the message-service REST API (default: --api-url).")
    URI chatApiUrl;

    @Option(names = "--server-pid", paramLabel = "LABEL=PID",
            description = "Process id of a target's server, to read its VmRSS, e.g. switchboard=1234 pusher=5678.")
    Map<String, Long> serverPids = new LinkedHashMap<>();

    @Option(names = "--pusher-app-id", description = "Pusher app id, for publishing through the HTTP events API.")
    String pusherAppId;

    @Option(names = "--pusher-secret", defaultValue = "${env:" + WorkerLauncher.ENV_PUSHER_SECRET + "}",
            description = "Pusher app secret, to sign HTTP API requests.")
    String pusherSecret;

    @Option(names = "--pusher-api-url", description = "Pusher HTTP API base (default: http://<target host>:<target port>).")
    URI pusherApiUrl;

    @Option(names = "--worker-index", hidden = true, defaultValue = "0", description = "Set by the parent in worker processes.")
    int workerIndex;

    @Option(names = "--worker-count", hidden = true, defaultValue = "1", description = "Set by the parent in worker processes.")
    int workerCount;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadgenCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        LoadgenOptions o;
        try {
            o = scenarioFile == null ? options() : withScenarioFile().options();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        WorkerLauncher launcher = new WorkerLauncher(
                Path.of(System.getProperty("java.home"), "bin", "java"), System.getProperty("java.class.path"), List.of());
        return new LoadgenRun(o, System.out, launcher, RunEnvironment.current(build())).run();
    }

    /** The launcher's build line ("switchboard 0.2.0 (commit ...)") when run as its subcommand, else this jar's version. */
    private String build() {
        String[] version = spec.root().version();
        return version.length > 0 && !version[0].isBlank() ? version[0] : "loadgen " + LoadgenRun.implementationVersion();
    }

    /** Re-parses the scenario file's entries plus this command line (which wins) into a fresh command. */
    private LoadgenCommand withScenarioFile() throws java.io.IOException {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        Set<String> given = parsed.matchedOptions().stream().map(OptionSpec::longestName).collect(Collectors.toSet());
        List<String> merged = new ArrayList<>(ScenarioFile.args(scenarioFile, spec, given));
        for (OptionSpec opt : parsed.matchedOptions()) {
            if (!opt.longestName().equals("--scenario-file")) {
                for (String v : opt.originalStringValues()) {
                    merged.add(opt.longestName() + "=" + v);
                }
            }
        }
        LoadgenCommand fresh = new LoadgenCommand();
        new CommandLine(fresh).parseArgs(merged.toArray(String[]::new));
        return fresh;
    }

    /** The options this command line describes; throws IllegalArgumentException when they are inconsistent. */
    public LoadgenOptions options() {
        return LoadgenOptions.builder()
                .scenario(ScenarioName.parse(scenario))
                .targets(targets.stream().map(Target::parse).toList()).publishTarget(publishTarget)
                .connections(connections).rampRate(rampRate)
                .duration(duration).warmup(warmup).drain(drain).timeout(timeout).handshakeTimeout(handshakeTimeout).warmPasses(warmPasses)
                .warmTargets(warmTargets.stream().map(Target::parse).toList())
                .connectConcurrency(connectConcurrency).rounds(rounds)
                .channels(channels).publishers(publishers).rate(rate).payloadSize(payloadSize)
                .memberships(memberships).groupSize(groupSize)
                .sourceAddresses(SourceAddresses.parse(sourceAddresses))
                .workers(workers).maxConnectionsPerProcess(maxConnectionsPerProcess)
                .eventLoops(deprecatedEventLoops != null ? deprecatedEventLoops : eventLoops)
                .outDir(outDir).jwtSecret(blankToNull(jwtSecret)).org(org).apiUrl(apiUrl).apiKey(apiKey == null || apiKey.isEmpty() ? null : blankToNull(dev.switchboard.auth.ApiKeys.secretOf(apiKey.get(0))))
                .chatApiUrl(chatApiUrl).serverPids(serverPids)
                .pusherAppId(pusherAppId).pusherSecret(blankToNull(pusherSecret)).pusherApiUrl(pusherApiUrl)
                .thresholds(thresholds.stream().filter(t -> !t.isBlank()).map(Threshold::parse).toList())
                .build();
    }

    /** This process's slice when it runs as a worker. */
    public Slice workerSlice() {
        return new Slice(workerIndex, workerCount);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
