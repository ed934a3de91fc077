package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import dev.switchboard.message.ChatException;
import dev.switchboard.wire.ErrorCode;

/**
 * Maps driver failures to the protocol's error codes and says which leave a
 * write's outcome unknown. Everything but a malformed query is UNAVAILABLE
 * (503): not enough replicas, timeouts, no node reachable.
 */
final class CassandraErrors {
    private CassandraErrors() {
    }

    static ChatException translate(RuntimeException e) {
        if (e instanceof ChatException c) {
            return c;
        }
        if (e instanceof DriverException && !(e instanceof QueryValidationException)) {
            return new ChatException(ErrorCode.UNAVAILABLE, "message store unavailable: " + reason(e), e);
        }
        return new ChatException(ErrorCode.INTERNAL, "message store error", e);
    }

    /**
     * Whether a write that failed with {@code e} may still have been applied (or
     * may yet be, by Paxos): every failure after the request may have reached a
     * coordinator, so all but a refusal before any replica was asked (not enough
     * live replicas, no node to send to) and a malformed query.
     */
    static boolean outcomeUnknown(RuntimeException e) {
        return e instanceof DriverException && !(e instanceof UnavailableException)
                && !(e instanceof NoNodeAvailableException) && !(e instanceof QueryValidationException);
    }

    private static String reason(RuntimeException e) {
        if (e instanceof UnavailableException u) {
            return "not enough replicas alive (" + u.getConsistencyLevel() + " needs " + u.getRequired() + ", "
                    + u.getAlive() + " alive)";
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
