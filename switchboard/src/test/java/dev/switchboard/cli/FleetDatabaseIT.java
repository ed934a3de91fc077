package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code fleet} creates its database on a server that does not have it yet (real PostgreSQL). */
class FleetDatabaseIT {
    @Test
    void createsAMissingDatabaseOnceAndLeavesAnExistingOneAlone() throws Exception {
        try (PostgresDatabase db = new PostgresDatabase()) {
            assertFalse(FleetDatabase.ensureExists(db.jdbcUrl()), "an existing database is left alone");
            db.close(); // dropped: the server no longer has it
            assertTrue(FleetDatabase.ensureExists(db.jdbcUrl()), "a missing database is created");
            try (Connection c = DriverManager.getConnection(db.jdbcUrl())) {
                assertTrue(c.isValid(10));
            }
            assertFalse(FleetDatabase.ensureExists(db.jdbcUrl()), "created once");
        }
    }

    @Test
    void readsTheUrl() {
        assertEquals(Optional.of("switchboard"), FleetDatabase.nameOf("jdbc:postgresql://127.0.0.1:5432/switchboard?user=postgres"));
        assertEquals("jdbc:postgresql://db:6432/postgres?user=sb&ssl=true",
                FleetDatabase.maintenanceUrl("jdbc:postgresql://db:6432/chat_1?user=sb&ssl=true"));
        assertEquals(Optional.empty(), FleetDatabase.nameOf("jdbc:h2:mem:x"));
        assertEquals(Optional.empty(), FleetDatabase.nameOf("jdbc:postgresql://h/bad-name"));
    }
}
