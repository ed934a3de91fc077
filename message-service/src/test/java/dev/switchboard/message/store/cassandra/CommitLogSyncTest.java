package dev.switchboard.message.store.cassandra;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CommitLogSyncTest {
    @Test
    void periodicNodesAreNamedAndGroupOrBatchSayNothing() {
        assertNull(CommitLogSync.warning(Map.of("/10.0.0.1:9042", "group", "/10.0.0.2:9042", "batch")));
        assertNull(CommitLogSync.warning(Map.of("/10.0.0.1:9042", "unknown")), "a node that would not say is not accused");
        String w = CommitLogSync.warning(Map.of("/10.0.0.1:9042", "group", "/10.0.0.2:9042", "periodic",
                "/10.0.0.3:9042", "periodic"));
        assertTrue(w != null && w.startsWith("Cassandra nodes [/10.0.0.2:9042, /10.0.0.3:9042] sync their commit log"
                + " periodically") && w.contains("commitlog_sync: group"), w);
    }
}
