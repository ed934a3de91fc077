package dev.switchboard.edge.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bridge.memory.MemoryBroker;
import dev.switchboard.edge.session.Session;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service queues the loops' lease changes and runs them in batches on its own thread: what a query sees
 * and the order of the changes must be as if each ran at once.
 */
class PresenceServiceTest {
    private final MemoryBroker broker = new MemoryBroker();
    private final MemoryPresenceStore store = new MemoryPresenceStore(Duration.ofMinutes(1));
    private final PresenceService presence = new PresenceService("n1", store, broker, null,
            (org, user) -> CompletableFuture.completedFuture(List.of()));

    @AfterEach
    void close() {
        presence.close();
        broker.close();
    }

    private static Session session(long id, String user) {
        return new Session(id, user, "acme", 0, null, null);
    }

    @Test
    void aQuerySeesEveryChangeMadeBeforeIt() throws Exception {
        Session ann = session(1, "ann");
        presence.connected(ann, List.of());
        assertEquals(Set.of("ann"), presence.online("acme", List.of("ann", "bob")).get(5, TimeUnit.SECONDS));
        presence.disconnected(ann, List.of());
        assertEquals(Set.of(), presence.online("acme", List.of("ann")).get(5, TimeUnit.SECONDS));
        assertTrue(presence.lastSeen("acme", List.of("ann")).get(5, TimeUnit.SECONDS).containsKey("ann"),
                "the close was run before the query");
    }

    @Test
    void changesRunInTheOrderTheyWereMade() throws Exception {
        // Many opens and closes of one user's sessions queued together: only the order makes the end state right.
        for (int i = 1; i <= 1_000; i++) {
            Session s = session(i, "ann");
            presence.connected(s, List.of());
            if (i < 1_000) {
                presence.disconnected(s, List.of());
            }
        }
        for (int i = 1; i <= 500; i++) {
            Session s = session(10_000 + i, "bob");
            presence.connected(s, List.of());
            presence.disconnected(s, List.of());
        }
        assertEquals(Set.of("ann"), presence.online("acme", List.of("ann", "bob")).get(5, TimeUnit.SECONDS));
    }

    @Test
    void closeRunsWhatIsStillQueued() throws Exception {
        presence.connected(session(1, "ann"), List.of());
        presence.close();
        // The memory store outlives its close (it holds nothing to release): it shows what the service left in it.
        assertEquals(Set.of("ann"), store.online("acme", List.of("ann")).get(5, TimeUnit.SECONDS));
    }
}
