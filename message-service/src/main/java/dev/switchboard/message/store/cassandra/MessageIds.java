package dev.switchboard.message.store.cassandra;

import dev.switchboard.message.ChatException;
import dev.switchboard.message.store.Database;
import dev.switchboard.wire.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;

/**
 * Message ids for messages stored in Cassandra, drawn from the relational
 * database's own {@code messages_id_seq} in blocks (one query per
 * {@code block} sends per process): unique across processes and with every id
 * the relational store ever gave, so messages copied from PostgreSQL keep
 * theirs. Ids are unique, not ordered; order is the per-channel sequence.
 */
final class MessageIds {
    private final Database db;
    private final int block;
    private final ArrayDeque<Long> ids = new ArrayDeque<>();

    MessageIds(Database db, int block) {
        this.db = db;
        this.block = block;
    }

    synchronized long next() {
        if (ids.isEmpty()) {
            refill();
        }
        return ids.poll();
    }

    private void refill() {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(db.dialect().nextMessageIdsSql())) {
            ps.setInt(1, block);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new ChatException(ErrorCode.UNAVAILABLE, "database unavailable (message ids)", e);
        }
    }
}
