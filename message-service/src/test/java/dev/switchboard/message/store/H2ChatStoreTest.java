package dev.switchboard.message.store;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded database of dev mode: an H2 file in a temporary directory. */
class H2ChatStoreTest extends MessageEventsContract {
    @TempDir
    Path dir;

    @Override
    ChatStore openStore() {
        return ChatStore.relational(Database.open(DatabaseOptions.embedded(dir), new SimpleMeterRegistry()),
                Clock.systemUTC(), MessageStore.DEFAULT_MAX_PAGE);
    }
}
