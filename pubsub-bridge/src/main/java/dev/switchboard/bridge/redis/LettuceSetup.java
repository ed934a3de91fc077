package dev.switchboard.bridge.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.DefaultEventPublisherOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Translates {@link RedisBrokerOptions} into Lettuce's resources and options; one place for the outage policy. */
final class LettuceSetup {
    /** Channel names are UTF-8 strings; payloads stay bytes, never decoded. */
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    /**
     * RESP2, not the RESP3 that Lettuce negotiates with Redis 6+ by default: under RESP3 a published message
     * arrives as a push message, which Lettuce decodes element by element into copies and then decodes again
     * into its pub/sub output; under RESP2 it is decoded once. Nothing here uses what RESP3 adds (client-side
     * caching, attributes).
     */
    static final ProtocolVersion PROTOCOL = ProtocolVersion.RESP2;

    private LettuceSetup() {
    }

    /** The resources a broker runs on ({@code use}); {@code owned} is what it made for itself and shuts down, or null. */
    record BrokerResources(ClientResources use, ClientResources owned) {
    }

    /** The process's {@code shared} resources, or (null) the broker's own. */
    static BrokerResources brokerResources(RedisBrokerOptions options, RedisResources shared) {
        if (shared != null) {
            return new BrokerResources(shared.lettuce(), null);
        }
        ClientResources own = resources(options);
        return new BrokerResources(own, own);
    }

    /**
     * Lettuce's resources without its command latency metrics: with HdrHistogram and LatencyUtils on the
     * class path (Micrometer brings them) Lettuce wraps every command to time it and keeps a histogram per
     * command type and connection, which nothing here reads (the broker's own metrics are in
     * {@link BrokerMetrics}): ~80 B of garbage and two clock reads per command.
     */
    static ClientResources resources(RedisBrokerOptions options) {
        return ClientResources.builder()
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .commandLatencyPublisherOptions(DefaultEventPublisherOptions.disabled())
                .ioThreadPoolSize(options.ioThreads())
                .computationThreadPoolSize(1)
                .reconnectDelay(Delay.exponential(options.reconnectDelayMin(), options.reconnectDelayMax(), 2,
                        TimeUnit.MILLISECONDS))
                .build();
    }

    /**
     * Fail fast while disconnected: commands are rejected instead of buffered (a buffer would
     * grow without bound during an outage and deliver stale messages after it), and every
     * command times out, so that a hung connection is noticed too.
     */
    static ClientOptions clientOptions(RedisBrokerOptions options) {
        return ClientOptions.builder()
                .protocolVersion(PROTOCOL)
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(timeouts(options))
                .socketOptions(sockets(options))
                .build();
    }

    static ClusterClientOptions clusterOptions(RedisBrokerOptions options) {
        return ClusterClientOptions.builder()
                .protocolVersion(PROTOCOL)
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(timeouts(options))
                .socketOptions(sockets(options))
                // Follow slot moves: refresh on MOVED/ASK and reconnects, and periodically.
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(options.topologyRefreshPeriod())
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                        .build())
                .build();
    }

    private static TimeoutOptions timeouts(RedisBrokerOptions options) {
        return TimeoutOptions.builder().fixedTimeout(options.commandTimeout()).build();
    }

    private static SocketOptions sockets(RedisBrokerOptions options) {
        return SocketOptions.builder().connectTimeout(options.connectTimeout()).keepAlive(true).tcpNoDelay(true).build();
    }
}
