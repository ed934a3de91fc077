package dev.switchboard.message.store.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.testing.CassandraRing;
import dev.switchboard.testing.SharedCassandraRing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store reads the settings it depends on from each node itself: the test ring syncs in groups and runs Paxos v1. */
@ExtendWith(SharedCassandraRing.class)
class NodeSettingsIT {
    @Test
    void everyNodeOfTheRingSaysItSyncsBeforeItAcknowledgesAndRunsPaxosV1(CassandraRing ring) {
        try (MessageKeyspace ks = MessageKeyspace.open(ProbeKeyspace.options(ring))) {
            Map<String, String> modes = NodeSettings.read(ks.session(), NodeSettings.COMMITLOG_SYNC);
            assertEquals(List.of("group", "group", "group"), List.copyOf(modes.values()), modes.toString());
            Map<String, String> paxos = NodeSettings.read(ks.session(), NodeSettings.PAXOS_VARIANT);
            assertEquals(List.of("v1", "v1", "v1"), List.copyOf(paxos.values()), paxos.toString());
            assertEquals(List.of(), NodeSettings.warnings(ks.session()));
        }
    }
}
