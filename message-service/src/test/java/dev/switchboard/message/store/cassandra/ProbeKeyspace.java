package dev.switchboard.message.store.cassandra;

import dev.switchboard.testing.CassandraRing;

/**
 * One keyspace per test JVM for the tests that only open sessions on the ring and
 * write nothing (pools, health, prepared statements): the first to open it creates
 * it, the others open a complete keyspace, which changes no schema.
 */
final class ProbeKeyspace {
    private ProbeKeyspace() {
    }

    static CassandraOptions options(CassandraRing ring) {
        return CassandraOptions.parse(ring.uri("probe_" + ProcessHandle.current().pid()));
    }
}
