package dev.switchboard.cli;

import dev.switchboard.edge.EdgeServerOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Limits and timers of an edge node; every option defaults to the library's DEFAULT_* value. */
final class EdgeTuning {
    @Option(names = "--transport", defaultValue = EdgeServerOptions.DEFAULT_TRANSPORT,
            description = "auto, io_uring, epoll or nio (default: ${DEFAULT-VALUE}: the fastest available).")
    String transport;

    @Option(names = "--io-threads", defaultValue = "0", description = "WebSocket event loop threads; 0 = half the cores, at least one (default: ${DEFAULT-VALUE}). The server API port has a thread of its own.")
    int ioThreads;

    @Option(names = "--heartbeat", defaultValue = "25s", description = "Server ping interval (default: ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Option(names = "--idle-timeout", defaultValue = "60s", description = "Close a session silent for this long (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--connect-timeout", defaultValue = "10s",
            description = "Time allowed for the upgrade and the Connect frame (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--max-message-bytes", defaultValue = "65536", description = "Largest WebSocket message from a client (default: ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Option(names = "--max-payload-bytes", defaultValue = "32768", description = "Largest publication payload (default: ${DEFAULT-VALUE}).")
    int maxPayloadBytes;

    @Option(names = "--max-channels-per-session", defaultValue = "1000", description = "Subscriptions one connection may hold (default: ${DEFAULT-VALUE}).")
    int maxChannels;

    @Option(names = "--max-outbound-bytes", defaultValue = "1048576",
            description = "Hard cap on what the node holds for one session (every write counts; over it: close 4001); "
                    + "half of it is the soft mark where fan-out is shed (default: ${DEFAULT-VALUE}).")
    int maxOutboundBytes;

    @Option(names = "--slow-consumer-timeout", defaultValue = "10s",
            description = "How long a session may stay over its write-buffer high-water mark before it is closed (4001) (default: ${DEFAULT-VALUE}).")
    Duration slowConsumerTimeout;

    @Option(names = "--close-grace", defaultValue = "2s",
            description = "How long a disconnected session may take to flush its goodbye before its socket is closed hard (default: ${DEFAULT-VALUE}).")
    Duration closeGrace;

    @Option(names = "--shutdown-timeout", defaultValue = "10s", description = "Graceful shutdown deadline (default: ${DEFAULT-VALUE}).")
    Duration shutdownTimeout;

    @Option(names = "--presence-ttl", defaultValue = "30s",
            description = "Presence lease lifetime: users of a node that died go offline within it (default: ${DEFAULT-VALUE}).")
    Duration presenceTtl;

    @Option(names = "--presence-renew", defaultValue = "10s", description = "Presence lease renewal period (default: ${DEFAULT-VALUE}).")
    Duration presenceRenew;

    @Option(names = "--command-rate", defaultValue = "200", description = "Commands per second one connection may send (default: ${DEFAULT-VALUE}).")
    int commandRate;

    @Option(names = "--command-burst", defaultValue = "400", description = "Commands one connection may send in a burst (default: ${DEFAULT-VALUE}).")
    int commandBurst;

    @Option(names = "--max-connections-per-user", defaultValue = "100", description = "Sessions of one user on this node; 0 = no limit (default: ${DEFAULT-VALUE}).")
    int perUser;

    @Option(names = "--max-connections-per-ip", defaultValue = "0", description = "Sessions from one IP address (an IPv6 client: its /64) on this node; 0 = no limit (default: ${DEFAULT-VALUE}).")
    int perIp;

    @Option(names = "--max-connections-per-org", defaultValue = "0", description = "Sessions of one organisation on this node; 0 = no limit (default: ${DEFAULT-VALUE}).")
    int perOrg;

    @Option(names = "--connect-rate-per-ip", defaultValue = "0", description = "New connections per second from one IP address (an IPv6 client: its /64); 0 = no limit (default: ${DEFAULT-VALUE}).")
    int connectRatePerIp;

    @Option(names = "--allowed-origin", paramLabel = "ORIGIN", split = ",",
            description = "Origins browsers may connect from (e.g. https://chat.example.com); repeat or comma-separate; none = any.")
    java.util.List<String> allowedOrigins = new java.util.ArrayList<>();

    EdgeServerOptions.Builder applyTo(EdgeServerOptions.Builder b) {
        return b.transport(transport).ioThreads(ioThreads).heartbeatInterval(heartbeat).idleTimeout(idleTimeout)
                .connectTimeout(connectTimeout).maxMessageBytes(maxMessageBytes).maxPayloadBytes(maxPayloadBytes)
                .maxChannelsPerSession(maxChannels).maxOutboundBytes(maxOutboundBytes)
                .slowConsumerTimeout(slowConsumerTimeout).closeGrace(closeGrace).shutdownTimeout(shutdownTimeout)
                .presence(presenceTtl, presenceRenew)
                .commandRate(commandRate, commandBurst)
                .connectionLimits(perUser, perIp, perOrg)
                .connectRatePerIp(connectRatePerIp)
                .allowedOrigins(allowedOrigins);
    }
}
