package dev.switchboard.message.store.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.testing.CassandraRing;
import dev.switchboard.testing.SharedCassandraRing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store reads every node's commit log mode from the node itself: the test ring syncs in groups. */
@ExtendWith(SharedCassandraRing.class)
class CommitLogSyncIT {
    @Test
    void everyNodeOfTheRingSaysItSyncsBeforeItAcknowledges(CassandraRing ring) {
        try (MessageKeyspace ks = MessageKeyspace.open(ProbeKeyspace.options(ring))) {
            Map<String, String> modes = CommitLogSync.modes(ks.session());
            assertEquals(List.of("group", "group", "group"), List.copyOf(modes.values()), modes.toString());
            assertNull(CommitLogSync.warning(modes));
        }
    }
}
