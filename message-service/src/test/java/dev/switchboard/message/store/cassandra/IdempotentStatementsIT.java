package dev.switchboard.message.store.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.switchboard.testing.CassandraRing;
import dev.switchboard.testing.SharedCassandraRing;
import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every read the store prepares may be retried on another node (idempotent), and no
 * write is idempotent by its prepared statement: the session's default stays off so a
 * conditional write is never sent twice (ADR 0011, Idempotent reads). Writes that are
 * safe to repeat say so on their bound statement, where they are executed.
 */
@ExtendWith(SharedCassandraRing.class)
class IdempotentStatementsIT {
    @Test
    void readsAreIdempotentAndWritesAreNot(CassandraRing ring) throws IllegalAccessException {
        CassandraOptions options = ProbeKeyspace.options(ring);
        try (MessageKeyspace ks = MessageKeyspace.open(options)) {
            ChannelLog log = new ChannelLog(ks);
            List<Object> holders = List.of(log, new ReadPositions(ks), new ClientIds(ks, ClientIds.MESSAGES),
                    new MessageStateTable(ks, log, null), new MessageMigration(null, ks, 1, s -> { }));
            int reads = 0;
            int writes = 0;
            for (Object holder : holders) {
                for (Field f : holder.getClass().getDeclaredFields()) {
                    if (f.getType() != PreparedStatement.class) {
                        continue;
                    }
                    f.setAccessible(true);
                    PreparedStatement ps = (PreparedStatement) f.get(holder);
                    boolean read = ps.getQuery().startsWith("SELECT ");
                    assertEquals(read, Boolean.TRUE.equals(ps.bind().isIdempotent()),
                            holder.getClass().getSimpleName() + "." + f.getName() + ": " + ps.getQuery());
                    if (read) {
                        reads++;
                    } else {
                        writes++;
                    }
                }
            }
            assertEquals(12, reads, "the reads found");
            assertTrue(writes > 0, "the writes found");
        }
    }
}
