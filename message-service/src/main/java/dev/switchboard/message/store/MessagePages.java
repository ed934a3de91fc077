package dev.switchboard.message.store;

import dev.switchboard.message.ChatException;
import dev.switchboard.message.HistoryPage;
import dev.switchboard.message.Message;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A page of messages in a query's order: the query asks for one row more than
 * the page holds, which says whether there is a next page (its cursor is the
 * last sequence of this one).
 */
final class MessagePages {
    private MessagePages() {
    }

    /** The page size for {@code limit}: at least 1 (else 400), at most {@code maxPage}. */
    static int size(int limit, int maxPage) {
        if (limit < 1) {
            throw ChatException.badRequest("limit must be >= 1");
        }
        return Math.min(limit, maxPage);
    }

    /** Runs {@code ps}, bound to select {@link Rows#MESSAGE_COLUMNS} of up to {@code n + 1} rows, into a page of {@code n}. */
    static HistoryPage read(Connection c, long channelId, PreparedStatement ps, int n) throws SQLException {
        List<Message> out = new ArrayList<>(n + 1);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(Rows.message(rs));
            }
        }
        Long next = null;
        if (out.size() > n) {
            out.remove(n);
            next = out.get(n - 1).seq();
        }
        return new HistoryPage(MessageStates.load(c, channelId, out), next);
    }
}
