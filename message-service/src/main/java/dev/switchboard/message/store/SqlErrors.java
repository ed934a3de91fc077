package dev.switchboard.message.store;

import dev.switchboard.message.ChatException;
import dev.switchboard.wire.ErrorCode;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/** Maps JDBC failures to the protocol's error codes: a database that cannot be reached is UNAVAILABLE (503). */
final class SqlErrors {
    static final String UNIQUE_VIOLATION = "23505";

    private SqlErrors() {
    }

    static boolean isUniqueViolation(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }

    /** Whether the constraint named in a unique violation is {@code constraint} (both drivers put the name in the message). */
    static boolean violates(SQLException e, String constraint) {
        return isUniqueViolation(e) && e.getMessage() != null
                && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains(constraint);
    }

    static ChatException translate(SQLException e) {
        if (isUnavailable(e)) {
            return new ChatException(ErrorCode.UNAVAILABLE, "database unavailable", e);
        }
        return new ChatException(ErrorCode.INTERNAL, "database error", e);
    }

    static boolean isUnavailable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                // 08: connection exception; 57P: operator intervention (admin shutdown,
                // cannot connect now); 53: insufficient resources; 40001/40P01: a
                // serialization failure or deadlock, worth retrying later; HYT00: H2's lock timeout.
                if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")
                        || state.equals("40001") || state.equals("40P01") || state.equals("HYT00")) {
                    return true;
                }
            }
        }
        return false;
    }
}
