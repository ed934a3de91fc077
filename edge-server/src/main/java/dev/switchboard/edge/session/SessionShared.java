package dev.switchboard.edge.session;

import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.edge.pipeline.ConnectionLimits;
import dev.switchboard.edge.presence.PresenceService;
import dev.switchboard.wire.FrameCodec;

/**
 * What every session of a node shares: the codec, the command dispatcher, the
 * limits and the metrics. One instance per node keeps per-session objects small.
 */
public record SessionShared(
        FrameCodec codec,
        CommandDispatcher dispatcher,
        int maxMessageBytes,
        OutboundBudget outbound,
        EdgeMetrics metrics,
        PresenceService presence,
        ConnectionLimits limits,
        int commandRate,
        int commandBurst) {
}
