package dev.switchboard.loadgen;

import dev.switchboard.loadgen.check.Threshold;
import dev.switchboard.loadgen.check.Thresholds;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one loadgen run is configured with: immutable, validated in the
 * constructor, built with {@link #builder()}. The defaults are the public
 * {@code DEFAULT_*} constants, which {@code --help} shows.
 */
public final class LoadgenOptions {
    public static final int DEFAULT_CONNECTIONS = 1_000;
    public static final int DEFAULT_RAMP_RATE = 1_000;
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(2);
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(3);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);
    public static final int DEFAULT_CHANNELS = 100;
    public static final int DEFAULT_PUBLISHERS = 10;
    public static final int DEFAULT_RATE = 1_000;
    public static final int DEFAULT_PAYLOAD_SIZE = 100;
    public static final int DEFAULT_MEMBERSHIPS = 20;
    public static final int DEFAULT_GROUP_SIZE = 10;
    public static final int DEFAULT_ROUNDS = 2;
    /** A process here may open 20,000 files; leave room for the JVM's own. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_PROCESS = 18_000;
    /** Beyond this the run is a mistake, not a load test. */
    public static final int MAX_CONNECTIONS = 1_000_000;
    public static final String DEFAULT_ORG = "bench";
    public static final URI DEFAULT_API_URL = URI.create("http://127.0.0.1:8081");
    public static final Target DEFAULT_TARGET = Target.parse("switchboard=ws://127.0.0.1:8080/ws");

    private final ScenarioName scenario;
    private final List<Target> targets;
    private final URI publishTarget;
    private final int connections;
    private final int rampRate;
    private final Duration duration;
    private final Duration warmup;
    private final Duration drain;
    private final Duration timeout;
    private final Duration handshakeTimeout;
    private final int warmPasses;
    private final List<Target> warmTargets;
    private final int connectConcurrency;
    private final int rounds;
    private final int channels;
    private final int publishers;
    private final int rate;
    private final int payloadSize;
    private final int memberships;
    private final int groupSize;
    private final List<InetAddress> sourceAddresses;
    private final int workers;
    private final int maxConnectionsPerProcess;
    private final int eventLoops;
    private final Path outDir;
    private final String jwtSecret;
    private final String org;
    private final URI apiUrl;
    private final String apiKey;
    private final URI chatApiUrl;
    private final Map<String, Long> serverPids;
    private final String pusherAppId;
    private final String pusherSecret;
    private final URI pusherApiUrl;
    private final List<Threshold> thresholds;

    private LoadgenOptions(Builder b) {
        this.scenario = Objects.requireNonNull(b.scenario, "scenario");
        this.targets = List.copyOf(b.targets.isEmpty() ? List.of(DEFAULT_TARGET) : b.targets);
        this.publishTarget = b.publishTarget;
        this.connections = positive("connections", b.connections);
        this.rampRate = positive("ramp-rate", b.rampRate);
        this.duration = nonNegative("duration", b.duration);
        this.warmup = nonNegative("warmup", b.warmup);
        this.drain = nonNegative("drain", b.drain);
        this.timeout = nonNegative("timeout", b.timeout);
        this.handshakeTimeout = nonNegative("handshake-timeout", b.handshakeTimeout);
        if (b.warmPasses < 0) {
            throw new IllegalArgumentException("warm-passes must be 0 or more, got " + b.warmPasses);
        }
        this.warmPasses = b.warmPasses;
        this.warmTargets = List.copyOf(b.warmTargets);
        if (b.connectConcurrency < 0) {
            throw new IllegalArgumentException("connect-concurrency must be 0 (open model at the ramp rate) or more: " + b.connectConcurrency);
        }
        this.connectConcurrency = b.connectConcurrency;
        this.rounds = positive("rounds", b.rounds);
        this.channels = positive("channels", b.channels);
        this.publishers = positive("publishers", b.publishers);
        this.rate = positive("rate", b.rate);
        this.payloadSize = b.payloadSize;
        this.memberships = positive("memberships", b.memberships);
        this.groupSize = positive("group-size", b.groupSize);
        this.sourceAddresses = List.copyOf(b.sourceAddresses);
        this.workers = b.workers;
        this.maxConnectionsPerProcess = positive("max-connections-per-process", b.maxConnectionsPerProcess);
        this.eventLoops = b.eventLoops;
        this.outDir = b.outDir;
        this.jwtSecret = b.jwtSecret;
        this.org = Objects.requireNonNull(b.org, "org");
        this.apiUrl = Objects.requireNonNull(b.apiUrl, "api-url");
        this.apiKey = b.apiKey;
        this.chatApiUrl = b.chatApiUrl != null ? b.chatApiUrl : this.apiUrl;
        this.serverPids = Map.copyOf(b.serverPids);
        this.pusherAppId = b.pusherAppId;
        this.pusherSecret = b.pusherSecret;
        this.pusherApiUrl = b.pusherApiUrl;
        this.thresholds = Thresholds.withDefaults(b.thresholds);
        validate();
    }

    private void validate() {
        if (connections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("connections must be at most " + MAX_CONNECTIONS + ": " + connections);
        }
        if (payloadSize < 8 || payloadSize > 1 << 20) {
            throw new IllegalArgumentException("payload-size must be 8 B (the timestamp) to 1 MiB: " + payloadSize);
        }
        if (workers < 0 || workers > 64) {
            throw new IllegalArgumentException("workers must be 0 (automatic) to 64: " + workers);
        }
        if (eventLoops < 0) {
            throw new IllegalArgumentException("io-threads must be >= 0 (0: one per core): " + eventLoops);
        }
        for (InetAddress a : sourceAddresses) {
            if (!a.isLoopbackAddress()) {
                throw new IllegalArgumentException("source addresses must be loopback addresses: " + a.getHostAddress());
            }
        }
        if (targets.stream().map(Target::protocol).distinct().count() != targets.size()) {
            throw new IllegalArgumentException("each protocol may be targeted once per run: " + targets);
        }
        for (Target t : java.util.stream.Stream.concat(targets.stream(), warmTargets.stream()).toList()) {
            if (t.protocol() == Target.ProtocolKind.SWITCHBOARD && (jwtSecret == null || jwtSecret.length() < 32)) {
                throw new IllegalArgumentException("a switchboard target needs --jwt-secret (32+ bytes) to mint tokens");
            }
            if (t.protocol() == Target.ProtocolKind.PUSHER && scenario == ScenarioName.FANOUT
                    && (pusherAppId == null || pusherSecret == null)) {
                throw new IllegalArgumentException("publishing to a pusher target needs --pusher-app-id and --pusher-secret");
            }
            if (t.protocol() != Target.ProtocolKind.SWITCHBOARD && scenario == ScenarioName.CHAT) {
                throw new IllegalArgumentException("the chat scenario needs the message-service; it runs against switchboard only");
            }
        }
        if (publishTarget != null) {
            // Publishers on another node than their subscribers: only fanout has separate publisher
            // connections, and only Switchboard publishes over WebSocket (Pusher publishes over HTTP).
            if (scenario != ScenarioName.FANOUT) {
                throw new IllegalArgumentException("publish-target applies to the fanout scenario only");
            }
            if (targets.size() != 1 || targets.get(0).protocol() != Target.ProtocolKind.SWITCHBOARD) {
                throw new IllegalArgumentException("publish-target needs exactly one switchboard target: " + targets);
            }
            new Target(Target.ProtocolKind.SWITCHBOARD, publishTarget); // throws unless ws:// with host and port
        }
        for (Threshold t : thresholds) {
            if (!t.appliesTo(scenario)) {
                throw new IllegalArgumentException("threshold '" + t.expression() + "' has no value in the " + scenario.id()
                        + " scenario (latency and deliveries are measured in fanout and chat)");
            }
        }
        if (scenario == ScenarioName.CHAT && groupSize > connections) {
            throw new IllegalArgumentException("group-size must not exceed connections (users): " + groupSize);
        }
    }

    private static int positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1: " + v);
        }
        return v;
    }

    private static Duration nonNegative(String name, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be a non-negative duration: " + d);
        }
        return d;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ScenarioName scenario() { return scenario; }
    public List<Target> targets() { return targets; }
    /** Where fanout publishers connect; null: the target they publish to (subscribers' node). */
    public URI publishTarget() { return publishTarget; }
    public int connections() { return connections; }
    public int rampRate() { return rampRate; }
    public Duration duration() { return duration; }
    public Duration warmup() { return warmup; }
    public Duration drain() { return drain; }
    public Duration timeout() { return timeout; }
    public Duration handshakeTimeout() { return handshakeTimeout; }
    /** Unmeasured passes of the whole scenario against each target before its measured one. */
    public int warmPasses() { return warmPasses; }
    /**
     * Where the warm-up passes go instead of the measured targets (each warm target gets {@link #warmPasses()}
     * passes before the first measured run): the load generator's own JIT warms up while the servers under
     * test stay fresh. Empty: each measured target gets its own warm-up passes.
     */
    public List<Target> warmTargets() { return warmTargets; }
    /**
     * Handshakes in flight per process (TCP connect until ready, and subscribed where the scenario
     * subscribes): a closed model that opens the next connection as soon as one completes. 0: connections
     * open at {@link #rampRate()} (open model).
     */
    public int connectConcurrency() { return connectConcurrency; }
    /** rounds: how many times the connections are opened, held and closed against the same server. */
    public int rounds() { return rounds; }
    public int channels() { return channels; }
    public int publishers() { return publishers; }
    public int rate() { return rate; }
    public int payloadSize() { return payloadSize; }
    public int memberships() { return memberships; }
    public int groupSize() { return groupSize; }
    /** Loopback addresses the client sockets bind to, round-robin; empty: let the kernel choose. */
    public List<InetAddress> sourceAddresses() { return sourceAddresses; }
    /** Worker processes; 0 means one per {@link #maxConnectionsPerProcess()} connections. */
    public int workers() { return workers; }
    public int maxConnectionsPerProcess() { return maxConnectionsPerProcess; }
    /** Event loop threads; 0 means one per core. */
    public int eventLoops() { return eventLoops; }
    /** Where reports go; null: the summary table on stdout only. */
    public Path outDir() { return outDir; }
    public String jwtSecret() { return jwtSecret; }
    public String org() { return org; }
    public URI apiUrl() { return apiUrl; }
    public String apiKey() { return apiKey; }
    /** The message-service REST API (chat setup); defaults to {@link #apiUrl()}. */
    public URI chatApiUrl() { return chatApiUrl; }
    /** Server process ids by target label, for reading their resident memory. */
    public Map<String, Long> serverPids() { return serverPids; }
    public String pusherAppId() { return pusherAppId; }
    public String pusherSecret() { return pusherSecret; }
    /** The Pusher HTTP API; null: the target's host and port over http. */
    public URI pusherApiUrl() { return pusherApiUrl; }
    /** What every target must meet (exit 1 otherwise): the given thresholds plus the default on connect failures. */
    public List<Threshold> thresholds() { return thresholds; }

    /** The worker processes this run needs (1: everything in this process). */
    public int effectiveWorkers() {
        if (workers > 0) {
            return workers;
        }
        return Math.max(1, (connections + publishers + maxConnectionsPerProcess - 1) / maxConnectionsPerProcess);
    }

    /** The options as {@code key=value} pairs, secrets masked: for the summary and the log. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("scenario", scenario.id());
        m.put("targets", targets.toString());
        if (publishTarget != null) {
            m.put("publish-target", publishTarget.toString());
        }
        m.put("connections", Integer.toString(connections));
        m.put("ramp-rate", Integer.toString(rampRate));
        m.put("duration", duration.toString());
        m.put("warmup", warmup.toString());
        if (warmPasses > 0) {
            m.put("warm-passes", Integer.toString(warmPasses));
        }
        if (!warmTargets.isEmpty()) {
            m.put("warm-targets", warmTargets.toString());
        }
        if (connectConcurrency > 0) {
            m.put("connect-concurrency", Integer.toString(connectConcurrency));
        }
        if (scenario == ScenarioName.ROUNDS) {
            m.put("rounds", Integer.toString(rounds));
        }
        m.put("channels", Integer.toString(channels));
        m.put("publishers", Integer.toString(publishers));
        m.put("rate", Integer.toString(rate));
        m.put("payload-size", Integer.toString(payloadSize));
        m.put("memberships", Integer.toString(memberships));
        m.put("group-size", Integer.toString(groupSize));
        m.put("source-addresses", Integer.toString(sourceAddresses.size()));
        m.put("workers", Integer.toString(effectiveWorkers()));
        m.put("org", org);
        m.put("thresholds", String.join(", ", thresholds.stream().map(Threshold::expression).toList()));
        return m;
    }

    @Override
    public String toString() {
        return "LoadgenOptions" + describe();
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private ScenarioName scenario = ScenarioName.IDLE;
        private List<Target> targets = List.of();
        private URI publishTarget;
        private int connections = DEFAULT_CONNECTIONS;
        private int rampRate = DEFAULT_RAMP_RATE;
        private Duration duration = DEFAULT_DURATION;
        private Duration warmup = DEFAULT_WARMUP;
        private Duration drain = DEFAULT_DRAIN;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private int warmPasses;
        private List<Target> warmTargets = List.of();
        private int connectConcurrency;
        private int rounds = DEFAULT_ROUNDS;
        private int channels = DEFAULT_CHANNELS;
        private int publishers = DEFAULT_PUBLISHERS;
        private int rate = DEFAULT_RATE;
        private int payloadSize = DEFAULT_PAYLOAD_SIZE;
        private int memberships = DEFAULT_MEMBERSHIPS;
        private int groupSize = DEFAULT_GROUP_SIZE;
        private List<InetAddress> sourceAddresses = List.of();
        private int workers;
        private int maxConnectionsPerProcess = DEFAULT_MAX_CONNECTIONS_PER_PROCESS;
        private int eventLoops;
        private Path outDir;
        private String jwtSecret;
        private String org = DEFAULT_ORG;
        private URI apiUrl = DEFAULT_API_URL;
        private String apiKey;
        private URI chatApiUrl;
        private Map<String, Long> serverPids = Map.of();
        private String pusherAppId;
        private String pusherSecret;
        private URI pusherApiUrl;
        private List<Threshold> thresholds = List.of();

        private Builder() {
        }

        public Builder scenario(ScenarioName v) { scenario = v; return this; }
        public Builder targets(List<Target> v) { targets = List.copyOf(v); return this; }
        public Builder publishTarget(URI v) { publishTarget = v; return this; }
        public Builder connections(int v) { connections = v; return this; }
        public Builder rampRate(int v) { rampRate = v; return this; }
        public Builder duration(Duration v) { duration = v; return this; }
        public Builder warmup(Duration v) { warmup = v; return this; }
        public Builder drain(Duration v) { drain = v; return this; }
        public Builder timeout(Duration v) { timeout = v; return this; }
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        public Builder warmPasses(int v) { warmPasses = v; return this; }
        public Builder warmTargets(List<Target> v) { warmTargets = List.copyOf(v); return this; }
        public Builder connectConcurrency(int v) { connectConcurrency = v; return this; }
        public Builder rounds(int v) { rounds = v; return this; }
        public Builder channels(int v) { channels = v; return this; }
        public Builder publishers(int v) { publishers = v; return this; }
        public Builder rate(int v) { rate = v; return this; }
        public Builder payloadSize(int v) { payloadSize = v; return this; }
        public Builder memberships(int v) { memberships = v; return this; }
        public Builder groupSize(int v) { groupSize = v; return this; }
        public Builder sourceAddresses(List<InetAddress> v) { sourceAddresses = List.copyOf(v); return this; }
        public Builder workers(int v) { workers = v; return this; }
        public Builder maxConnectionsPerProcess(int v) { maxConnectionsPerProcess = v; return this; }
        public Builder eventLoops(int v) { eventLoops = v; return this; }
        public Builder outDir(Path v) { outDir = v; return this; }
        public Builder jwtSecret(String v) { jwtSecret = v; return this; }
        public Builder org(String v) { org = v; return this; }
        public Builder apiUrl(URI v) { apiUrl = v; return this; }
        public Builder apiKey(String v) { apiKey = v; return this; }
        public Builder chatApiUrl(URI v) { chatApiUrl = v; return this; }
        public Builder serverPids(Map<String, Long> v) { serverPids = Map.copyOf(v); return this; }
        public Builder pusherAppId(String v) { pusherAppId = v; return this; }
        public Builder pusherSecret(String v) { pusherSecret = v; return this; }
        public Builder pusherApiUrl(URI v) { pusherApiUrl = v; return this; }
        public Builder thresholds(List<Threshold> v) { thresholds = List.copyOf(v); return this; }

        public LoadgenOptions build() {
            return new LoadgenOptions(this);
        }
    }
}
