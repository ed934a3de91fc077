package dev.switchboard.app;

import static org.awaitility.Awaitility.await;

import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.balancer.BalancerOptions;
import dev.switchboard.balancer.BalancerServer;
import dev.switchboard.balancer.NodeRegistration;
import dev.switchboard.edge.EdgeServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A balancer in front of a {@link Fleet}: every edge node registered in the fleet's
 * Redis (its sessions as its load, its drain state), the balancer started on that
 * Redis and ready once it knows every node. Closing stops the balancer, then the
 * registrations; the fleet is the test's.
 */
final class FleetBalancer implements AutoCloseable {
    private final List<NodeRegistration> registrations = new ArrayList<>();
    final BalancerServer server;

    /** {@code capacity}: the connections each node registers as its capacity (the bounded load's measure). */
    FleetBalancer(Fleet fleet, int capacity) throws InterruptedException {
        this(fleet, capacity, BalancerOptions.DEFAULT_MIN_SHARE);
    }

    /** {@code minShare}: below this many connections no node is full (the balancer's option). */
    FleetBalancer(Fleet fleet, int capacity, int minShare) throws InterruptedException {
        for (EdgeServer e : fleet.edges) {
            registrations.add(new NodeRegistration(fleet.redis.uri(), e.nodeId(), "ws://127.0.0.1:" + e.port() + "/ws",
                    capacity, () -> e.hub().sessionCount(), e::isDraining));
        }
        server = BalancerServer.builder(BalancerOptions.builder().host("127.0.0.1").port(0).minShare(minShare).build())
                .tokenVerifier(TokenVerifier.builder().hs256Secret(Fleet.SECRET).build())
                .redis(fleet.redis.uri()).start();
        // The balancer learns the nodes from their heartbeats.
        await("the balancer knows every node").atMost(Duration.ofSeconds(30))
                .until(() -> server.registry().snapshot().nodes().size() == fleet.edges.size());
    }

    /** Where clients ask where to connect ({@code Endpoint.balancer}). */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        server.close();
        registrations.forEach(NodeRegistration::close);
    }
}
