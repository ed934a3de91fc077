package dev.switchboard.message.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The cap on memberships per user on the embedded database of dev mode. */
class H2MembershipLimitTest extends MembershipLimitContract {
    @TempDir
    Path dir;

    @Override
    DatabaseOptions.Builder freshDatabase() {
        return DatabaseOptions.builder().jdbcUrl(DatabaseOptions.embedded(dir).jdbcUrl());
    }
}
