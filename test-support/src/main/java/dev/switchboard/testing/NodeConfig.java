package dev.switchboard.testing;

import java.nio.file.Path;

/**
 * The configuration files of one test ring node ({@link CassandraRing}): its cassandra.yaml (ports,
 * addresses, directories, the settings the message store needs, small caches for a test machine) and
 * its logback.xml.
 */
record NodeConfig(int storagePort, int nativePort, boolean hints, String paxosVariant) {
    /** Node {@code i}'s cassandra.yaml, its files under {@code node}. */
    String yaml(int i, Path node) {
        // One evenly spaced token per node: a balanced, deterministic ring without token allocation.
        long token = Long.MIN_VALUE + (i - 1) * (Long.MAX_VALUE / 3 * 2); // wraps like the token ring
        return String.join("\n",
                "cluster_name: switchboard-test",
                "num_tokens: 1",
                "initial_token: " + token,
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "auto_bootstrap: false",
                // Group commit, as production needs (docs/operations.md, "Durability"): a write is
                // acknowledged once its commit log section is synced. With periodic sync a node
                // killed replays only what the last sync covered, so two of three nodes killed
                // within the period lost acknowledged writes (CassandraNodeKillFaultIT saw it).
                "commitlog_sync: group",
                "commitlog_sync_group_window: 10ms",
                "commitlog_segment_size: 8MiB",
                "commitlog_directory: " + node.resolve("commitlog"),
                "data_file_directories: [" + node.resolve("data") + "]",
                "saved_caches_directory: " + node.resolve("saved_caches"),
                "hints_directory: " + node.resolve("hints"),
                "cdc_raw_directory: " + node.resolve("cdc"),
                "seed_provider:",
                "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                "    parameters:",
                "      - seeds: \"" + CassandraRing.address(1) + ":" + storagePort + "\"",
                "listen_address: " + CassandraRing.address(i),
                "rpc_address: " + CassandraRing.address(i),
                "storage_port: " + storagePort,
                "native_transport_port: " + nativePort,
                "start_native_transport: true",
                "endpoint_snitch: SimpleSnitch",
                // v1 unless a benchmark asks otherwise: Cassandra 5.0's default, and what the store needs
                // (with v2 two acknowledged sends of one channel got one sequence right after two nodes
                // came back in CassandraNodeKillFaultIT; ADR 0011, "Paxos variant").
                "paxos_variant: " + paxosVariant,
                "auto_snapshot: false",
                "concurrent_reads: 4",
                "concurrent_writes: 4",
                "concurrent_counter_writes: 2",
                "concurrent_materialized_view_writes: 2",
                "concurrent_compactors: 1",
                "memtable_flush_writers: 1",
                "native_transport_max_threads: 16",
                "memtable_heap_space: 48MiB",
                "memtable_offheap_space: 48MiB",
                "key_cache_size: 4MiB",
                "counter_cache_size: 0MiB",
                "prepared_statements_cache_size: 4MiB",
                "hinted_handoff_enabled: " + hints,
                "max_hint_window: 1h",
                "write_request_timeout: 2000ms",
                "read_request_timeout: 2000ms",
                "cas_contention_timeout: 1000ms",
                "disk_failure_policy: stop",
                "commit_failure_policy: stop",
                "");
    }

    /** The node's logback.xml: its log in {@code node}/system.log. */
    static String logback(Path node) {
        return """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level [%%thread] %%logger{36} - %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(node.resolve("system.log"));
    }
}
