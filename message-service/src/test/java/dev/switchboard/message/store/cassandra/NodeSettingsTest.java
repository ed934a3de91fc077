package dev.switchboard.message.store.cassandra;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSettingsTest {
    @Test
    void periodicNodesAreNamedAndGroupOrBatchSayNothing() {
        assertNull(NodeSettings.commitLogWarning(Map.of("/10.0.0.1:9042", "group", "/10.0.0.2:9042", "batch")));
        assertNull(NodeSettings.commitLogWarning(Map.of("/10.0.0.1:9042", "unknown")), "a node that would not say is not accused");
        String w = NodeSettings.commitLogWarning(Map.of("/10.0.0.1:9042", "group", "/10.0.0.2:9042", "periodic",
                "/10.0.0.3:9042", "periodic"));
        assertTrue(w != null && w.startsWith("Cassandra nodes [/10.0.0.2:9042, /10.0.0.3:9042] sync their commit log"
                + " periodically") && w.contains("commitlog_sync: group"), w);
    }

    @Test
    void nodesOnPaxosV2AreNamedAndV1SaysNothing() {
        assertNull(NodeSettings.paxosWarning(Map.of("/10.0.0.1:9042", "v1", "/10.0.0.2:9042", "v1")));
        assertNull(NodeSettings.paxosWarning(Map.of("/10.0.0.1:9042", "unknown")), "a node that would not say is not accused");
        String w = NodeSettings.paxosWarning(Map.of("/10.0.0.1:9042", "v1", "/10.0.0.3:9042", "v2"));
        assertTrue(w != null && w.startsWith("Cassandra nodes [/10.0.0.3:9042] run Paxos v2")
                && w.contains("paxos_variant: v1"), w);
    }
}
