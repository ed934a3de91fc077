package dev.switchboard.edge;

import dev.switchboard.edge.hub.Hub;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The edge node's meters. Hot-path counts (deliveries) are read from plain
 * per-loop fields when scraped, so fan-out pays nothing for them.
 */
public final class EdgeMetrics {
    private final MeterRegistry registry;
    private final Counter protocolErrors;
    private final Counter slowConsumers;
    private final Counter publishes;
    private final Counter rejectedHandshakes;
    private final Counter rateLimited;
    private final Counter ephemeralShed;
    private final Counter publicationsShed;
    private final EdgeLatencies latencies;

    public EdgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.protocolErrors = Counter.builder("switchboard.edge.protocol.errors")
                .description("Malformed or oversized client frames").register(registry);
        this.slowConsumers = Counter.builder("switchboard.edge.slow.consumers")
                .description("Sessions disconnected for exceeding their outbound budget").register(registry);
        this.publishes = Counter.builder("switchboard.edge.publishes")
                .description("Client publishes handed to the broker").register(registry);
        this.rejectedHandshakes = Counter.builder("switchboard.edge.handshakes.rejected")
                .description("WebSocket upgrades refused (bad token, bad request)").register(registry);
        this.rateLimited = Counter.builder("switchboard.edge.commands.rate.limited")
                .description("Client commands refused for exceeding the per-connection rate").register(registry);
        this.ephemeralShed = Counter.builder("switchboard.edge.outbound.ephemeral.shed")
                .description("Typing, presence and read-receipt pushes not written to backlogged sessions (dropped or conflated)")
                .register(registry);
        this.publicationsShed = Counter.builder("switchboard.edge.outbound.channels.shed")
                .description("Channels whose publications a backlogged session stopped receiving (each owes a may_have_missed)")
                .register(registry);
        this.latencies = new EdgeLatencies(registry);
    }

    /** The latency histograms, disconnects and recoveries. */
    public EdgeLatencies latencies() {
        return latencies;
    }

    public void ephemeralShed() {
        ephemeralShed.increment();
    }

    public void publicationsShed() {
        publicationsShed.increment();
    }

    public double publicationsShedCount() {
        return publicationsShed.count();
    }

    public double ephemeralShedCount() {
        return ephemeralShed.count();
    }

    public void rateLimited() {
        rateLimited.increment();
    }

    /** Registers the gauges that read the hub. */
    public void bind(Hub hub) {
        Gauge.builder("switchboard.edge.connections", hub, Hub::sessionCount)
                .description("Live WebSocket sessions").register(registry);
        Gauge.builder("switchboard.edge.subscriptions", hub, Hub::subscriptionCount)
                .description("Session-channel subscriptions").register(registry);
        Gauge.builder("switchboard.edge.channels", hub, Hub::channelCount)
                .description("Channels with local subscribers").register(registry);
        Gauge.builder("switchboard.edge.outbound.bytes", hub, Hub::outboundBytes).baseUnit("bytes")
                .description("Bytes queued for sessions and not yet written (outbound queue depth)").register(registry);
        Gauge.builder("switchboard.edge.sessions.unwritable", hub, Hub::unwritableSessions)
                .description("Sessions over their write-buffer high-water mark").register(registry);
        FunctionCounter.builder("switchboard.edge.deliveries", hub, Hub::deliveries)
                .description("Publications written to sessions").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void protocolError() {
        protocolErrors.increment();
    }

    public void slowConsumer() {
        slowConsumers.increment();
    }

    public void publish() {
        publishes.increment();
    }

    public void rejectedHandshake() {
        rejectedHandshakes.increment();
    }

    public double slowConsumerCount() {
        return slowConsumers.count();
    }
}
