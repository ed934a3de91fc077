package dev.switchboard.bridge.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed broker spec (the {@code --broker} setting of an edge node):
 *
 * <ul>
 *   <li>{@code memory}: the in-memory broker of a single node;</li>
 *   <li>{@code redis://host:port}: one standalone Redis;</li>
 *   <li>{@code redis://a:1,redis://b:2}: client-side sharding over standalone instances;</li>
 *   <li>{@code redis-cluster://host:port,host:port}: Redis Cluster (seed nodes) with sharded pub/sub.</li>
 * </ul>
 */
record BrokerSpec(Kind kind, List<String> addresses) {

    enum Kind { MEMORY, REDIS, SHARDED, CLUSTER }

    private static final String REDIS = "redis://";
    private static final String CLUSTER = "redis-cluster://";

    BrokerSpec {
        Objects.requireNonNull(kind, "kind");
        addresses = List.copyOf(addresses);
    }

    static BrokerSpec parse(String spec) {
        String s = Objects.requireNonNull(spec, "spec").strip();
        if (s.equals("memory")) {
            return new BrokerSpec(Kind.MEMORY, List.of());
        }
        if (s.startsWith(CLUSTER)) {
            List<String> seeds = new ArrayList<>();
            for (String part : split(s.substring(CLUSTER.length()), spec)) {
                String seed = part.startsWith(CLUSTER) ? part.substring(CLUSTER.length()) : part;
                requireHostPort(seed, spec);
                seeds.add(seed);
            }
            return new BrokerSpec(Kind.CLUSTER, seeds);
        }
        if (s.startsWith(REDIS)) {
            List<String> uris = new ArrayList<>();
            for (String part : split(s, spec)) {
                if (!part.startsWith(REDIS)) {
                    throw new IllegalArgumentException("every shard must be a redis:// URI: " + spec);
                }
                requireHostPort(part.substring(REDIS.length()).replaceAll("/.*$", ""), spec);
                uris.add(part);
            }
            if (uris.size() != uris.stream().distinct().count()) {
                throw new IllegalArgumentException("a Redis instance is listed twice: " + spec);
            }
            return new BrokerSpec(uris.size() == 1 ? Kind.REDIS : Kind.SHARDED, uris);
        }
        throw new IllegalArgumentException(
                "unknown broker spec (memory, redis://host:port[,redis://...], redis-cluster://host:port[,...]): "
                        + spec);
    }

    private static List<String> split(String list, String spec) {
        List<String> parts = new ArrayList<>();
        for (String part : list.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty address in broker spec: " + spec);
            }
            parts.add(p);
        }
        return parts;
    }

    private static void requireHostPort(String hostPort, String spec) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("expected host:port in broker spec, got '" + hostPort + "': " + spec);
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range in broker spec: " + spec);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in broker spec: " + spec, e);
        }
    }
}
