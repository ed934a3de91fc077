package dev.switchboard.message.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A channel's sequence, shared by every entry of its log (messages and their
 * events): the next number is taken with the channel row's {@code UPDATE}, which
 * orders the entry against every other of the channel until the transaction ends.
 */
final class ChannelSequence {
    private ChannelSequence() {
    }

    /** Takes the channel's next sequence in {@code c}'s transaction; 404 if the channel does not exist. */
    static long next(Connection c, Dialect dialect, long channelId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.nextSeqSql())) {
            ps.setLong(1, channelId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw Access.unknownChannel(channelId);
                }
                return rs.getLong(1);
            }
        }
    }
}
