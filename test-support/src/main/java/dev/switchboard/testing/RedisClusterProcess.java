package dev.switchboard.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of real {@code redis-server} processes (masters only, no replicas)
 * on free loopback ports: started, joined with {@code redis-cli --cluster create},
 * and awaited until {@code cluster_state:ok}. Closing it kills every node.
 */
public final class RedisClusterProcess implements AutoCloseable {
    private final List<RedisServerProcess> nodes = new ArrayList<>();

    private RedisClusterProcess() {
    }

    /** Starts {@code size} (at least 3) masters covering all 16384 slots. */
    public static RedisClusterProcess start(int size) {
        if (size < 3) {
            throw new IllegalArgumentException("redis-cli --cluster create needs at least 3 masters");
        }
        RedisClusterProcess cluster = new RedisClusterProcess();
        try {
            for (int i = 0; i < size; i++) {
                RedisServerProcess node = new RedisServerProcess("--cluster-enabled", "yes",
                        "--cluster-node-timeout", "2000");
                // nodes.conf in the node's own temporary directory (redis-server resolves it against --dir).
                cluster.nodes.add(node);
                node.start();
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            cluster.nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            RedisCli.exec(create);
            cluster.awaitOk(Duration.ofSeconds(30));
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public List<RedisServerProcess> nodes() {
        return List.copyOf(nodes);
    }

    /** {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,...}: the seed list for a cluster client. */
    public String uri() {
        return "redis-cluster://" + nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    /** The port of the master that owns the hash slot of {@code key} (as Redis computes it). */
    public int portOwning(String key) {
        int slot = Integer.parseInt(RedisCli.run(nodes.get(0).port(), "CLUSTER", "KEYSLOT", key).strip());
        for (String line : RedisCli.lines(nodes.get(0).port(), "CLUSTER", "NODES")) {
            String[] f = line.split(" ");
            if (!f[2].contains("master")) {
                continue;
            }
            int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
            for (int i = 8; i < f.length; i++) {
                String range = f[i];
                if (range.startsWith("[")) {
                    continue;
                }
                int dash = range.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
                if (slot >= from && slot <= to) {
                    return port;
                }
            }
        }
        throw new IllegalStateException("no master owns slot " + slot);
    }

    private void awaitOk(Duration timeout) {
        await("every node says cluster_state:ok").atMost(timeout).pollDelay(Duration.ZERO).until(() -> nodes.stream()
                .allMatch(n -> RedisCli.run(n.port(), "CLUSTER", "INFO").contains("cluster_state:ok")));
    }

    @Override
    public void close() {
        nodes.forEach(RedisServerProcess::close);
    }
}
