package dev.switchboard.edge.presence;

import java.time.Duration;

class MemoryPresenceStoreTest extends PresenceStoreContract {
    @Override
    PresenceStore store(long ttlMillis) {
        return new MemoryPresenceStore(Duration.ofMillis(ttlMillis));
    }
}
