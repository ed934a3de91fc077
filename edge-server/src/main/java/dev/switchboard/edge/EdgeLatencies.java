package dev.switchboard.edge;

import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.proto.ClientFrame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The edge's latency histograms and lifecycle counts (docs/operations.md, "Metrics"):
 * handshake, command latency by command, fan-out from broker receipt to flush,
 * commit-to-flush of stored messages, disconnects by close code and side, and
 * recovery outcomes. Every meter is registered up front (no lookup or allocation
 * when recording); the fan-out meters are recorded once per event-loop iteration
 * by {@link dev.switchboard.edge.hub.LoopHub}, never per delivery.
 *
 * <p>Histograms have fixed buckets (Prometheus {@code _bucket} series, read with
 * {@code histogram_quantile}) from half a millisecond to ten seconds: a dozen
 * series per timer instead of Micrometer's seventy.
 */
public final class EdgeLatencies {
    private static final Duration[] BUCKETS = {
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};
    /** The client close codes counted by name; any other code a client sends is counted as "other". */
    private static final int[] CLIENT_CODES = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011};

    private final Timer handshake;
    private final Timer[] commands;
    private final Timer fanOut;
    private final Timer commitToFlush;
    private final Map<DisconnectCode, Counter> serverDisconnects = new EnumMap<>(DisconnectCode.class);
    private final Counter[] clientDisconnects = new Counter[CLIENT_CODES.length];
    private final Counter clientOther;
    private final Counter lost;
    private final Counter recovered;
    private final Counter notRecovered;
    private final DistributionSummary replayed;
    private final RecentDisconnects recent = new RecentDisconnects();

    public EdgeLatencies(MeterRegistry registry) {
        this.handshake = timer("switchboard.edge.handshake",
                "WebSocket upgrade: request routed to the 101 handed to the socket (token check, limits)").register(registry);
        ClientFrame.CommandCase[] cases = ClientFrame.CommandCase.values();
        this.commands = new Timer[cases.length];
        for (ClientFrame.CommandCase c : cases) {
            commands[c.ordinal()] = timer("switchboard.edge.command",
                    "client command: decoded to reply handed to the socket (async work included)")
                    .tag("command", c == ClientFrame.CommandCase.COMMAND_NOT_SET ? "none" : c.name().toLowerCase())
                    .register(registry);
        }
        this.fanOut = timer("switchboard.edge.fanout",
                "broker receipt to socket flush, the oldest publication of each event-loop iteration").register(registry);
        this.commitToFlush = timer("switchboard.edge.commit.to.flush",
                "stored messages: message-service commit stamp (created_at, ms, its clock) to socket flush here,"
                        + " the oldest of each event-loop iteration").register(registry);
        for (DisconnectCode c : DisconnectCode.values()) {
            serverDisconnects.put(c, disconnects(registry, "server", c.code()));
        }
        for (int i = 0; i < CLIENT_CODES.length; i++) {
            clientDisconnects[i] = disconnects(registry, "client", CLIENT_CODES[i]);
        }
        this.clientOther = Counter.builder("switchboard.edge.disconnects").tag("side", "client").tag("code", "other")
                .description("sessions ended, by who ended them and the close code").register(registry);
        this.lost = Counter.builder("switchboard.edge.disconnects").tag("side", "lost").tag("code", "none")
                .description("sessions ended, by who ended them and the close code").register(registry);
        this.recovered = Counter.builder("switchboard.edge.recoveries").tag("outcome", "recovered")
                .description("channel recoveries at connect or subscribe, by outcome").register(registry);
        this.notRecovered = Counter.builder("switchboard.edge.recoveries").tag("outcome", "not_recovered")
                .description("channel recoveries at connect or subscribe, by outcome").register(registry);
        this.replayed = DistributionSummary.builder("switchboard.edge.recovery.replayed")
                .description("publications replayed by a successful recovery")
                .serviceLevelObjectives(1, 10, 50, 100, 200, 500, 1000).register(registry);
    }

    private static Timer.Builder timer(String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS)
                .minimumExpectedValue(BUCKETS[0]).maximumExpectedValue(BUCKETS[BUCKETS.length - 1]);
    }

    private static Counter disconnects(MeterRegistry registry, String side, int code) {
        return Counter.builder("switchboard.edge.disconnects").tag("side", side).tag("code", Integer.toString(code))
                .description("sessions ended, by who ended them and the close code").register(registry);
    }

    public void handshake(long startNanos) {
        handshake.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    public void command(ClientFrame.CommandCase command, long startNanos) {
        commands[command.ordinal()].record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** Once per loop iteration with fan-out: the oldest broker receipt of the iteration. */
    public void fanOut(long oldestReceiptNanos) {
        fanOut.record(System.nanoTime() - oldestReceiptNanos, TimeUnit.NANOSECONDS);
    }

    /** Once per loop iteration with stored messages: the oldest commit stamp of the iteration. */
    public void commitToFlush(long oldestCommitMs) {
        commitToFlush.record(Math.max(0, System.currentTimeMillis() - oldestCommitMs), TimeUnit.MILLISECONDS);
    }

    /** The server ends a session with {@code code}. */
    public void serverDisconnect(DisconnectCode code, String reason) {
        serverDisconnects.get(code).increment();
        recent.add("server", code.code(), reason);
    }

    /** The client closed with {@code code} (echoed). */
    public void clientDisconnect(int code) {
        Counter c = clientOther;
        for (int i = 0; i < CLIENT_CODES.length; i++) {
            if (CLIENT_CODES[i] == code) {
                c = clientDisconnects[i];
                break;
            }
        }
        c.increment();
        recent.add("client", code, "");
    }

    /** The connection went without a closing handshake (reset, half-open, network). */
    public void lostConnection() {
        lost.increment();
        recent.add("lost", 0, "connection closed without a close frame");
    }

    public void recovery(boolean ok, int replayedCount) {
        if (ok) {
            recovered.increment();
            replayed.record(replayedCount);
        } else {
            notRecovered.increment();
        }
    }

    /** The last disconnects of this node (for the fleet status page). */
    public RecentDisconnects recentDisconnects() {
        return recent;
    }
}
