package dev.switchboard.balancer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The balancer's meters: answers to {@code GET /v1/connect} by outcome, and
 * gauges read from the registry's last snapshot when scraped (nodes, draining
 * nodes, connections and capacity they report, age of the view).
 */
final class BalancerMetrics {
    private static final String PREFIX = "switchboard.balancer.";

    private final Counter placed;
    private final Counter unauthorized;
    private final Counter noNode;
    private final Counter registryUnavailable;

    BalancerMetrics(MeterRegistry registry, NodeRegistry nodes) {
        placed = connects(registry, "placed");
        unauthorized = connects(registry, "unauthorized");
        noNode = connects(registry, "no_node");
        registryUnavailable = connects(registry, "registry_unavailable");
        Gauge.builder(PREFIX + "nodes", nodes, r -> r.snapshot().nodes().size())
                .description("Edge nodes in the registry view").register(registry);
        Gauge.builder(PREFIX + "nodes.draining", nodes, r -> r.snapshot().nodes().stream().filter(NodeInfo::draining).count())
                .description("Edge nodes that are draining").register(registry);
        Gauge.builder(PREFIX + "fleet.connections", nodes, r -> r.snapshot().nodes().stream().mapToLong(NodeInfo::connections).sum())
                .description("Connections the edge nodes reported in their last heartbeats").register(registry);
        Gauge.builder(PREFIX + "fleet.capacity", nodes, r -> r.snapshot().nodes().stream().mapToLong(NodeInfo::capacity).sum())
                .description("Capacity the edge nodes reported in their last heartbeats").register(registry);
        Gauge.builder(PREFIX + "registry.age", nodes, r -> r.snapshot().age().toNanos() / 1e9).baseUnit("seconds")
                .description("Age of the registry view answers are placed from").register(registry);
    }

    private static Counter connects(MeterRegistry registry, String outcome) {
        return Counter.builder(PREFIX + "connects").tag("outcome", outcome)
                .description("Answers to GET /v1/connect by outcome").register(registry);
    }

    void placed() {
        placed.increment();
    }

    void unauthorized() {
        unauthorized.increment();
    }

    void noNode() {
        noNode.increment();
    }

    void registryUnavailable() {
        registryUnavailable.increment();
    }
}
