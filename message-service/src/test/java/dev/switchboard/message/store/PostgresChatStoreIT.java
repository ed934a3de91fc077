package dev.switchboard.message.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.message.NewMessage;
import dev.switchboard.testing.PostgresDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store contract on a real PostgreSQL (a throwaway database), plus what only PostgreSQL has: partitions. */
class PostgresChatStoreIT extends MessageEventsContract {
    private PostgresDatabase pg;

    @Override
    ChatStore openStore() {
        pg = new PostgresDatabase();
        return ChatStore.relational(Database.open(DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).poolSize(8).build(),
                new SimpleMeterRegistry()), Clock.systemUTC(), MessageStore.DEFAULT_MAX_PAGE);
    }

    @Override
    void dropStore() {
        pg.close();
    }

    @Test
    void historyReadsOneChannelsPartitionThroughTheIndex() throws SQLException {
        long g = channels.createGroup(ANA, "general", List.of()).channel().id();
        for (int i = 0; i < 3; i++) {
            messages.send(ANA, g, new NewMessage("m" + i, null, null), SequenceListener.NONE);
        }
        StringBuilder plan = new StringBuilder();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            // Tiny tables make a sequential scan cheapest; forbid it to see the path PostgreSQL has.
            s.execute("SET enable_seqscan = off");
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN SELECT id FROM messages WHERE channel_id = "
                    + g + " AND seq < 100 ORDER BY seq DESC LIMIT 50"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            c.rollback();
        }
        String p = plan.toString();
        assertTrue(p.contains("Index"), p);
        assertFalse(p.contains("Append"), "more than one partition in the plan:\n" + p);
        assertTrue(p.matches("(?s).*messages_p\\d+.*"), p);
    }
}
