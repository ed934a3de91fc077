package dev.switchboard.message.store.cassandra;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.NodeUnavailableException;
import com.datastax.oss.driver.api.core.servererrors.BootstrappingException;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import dev.switchboard.message.ChatException;
import dev.switchboard.wire.ErrorCode;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

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
     * coordinator, so all but a malformed query and a request that no node
     * executed ({@link #neverExecuted}).
     */
    static boolean outcomeUnknown(RuntimeException e) {
        return e instanceof DriverException && !(e instanceof QueryValidationException) && !neverExecuted(e);
    }

    /**
     * Whether no node executed the request: a coordinator refused it before asking
     * any replica (not enough live replicas, still bootstrapping), or the driver
     * never sent it (no node to send to; every node it tried had no connection in
     * its pool, {@link NodeUnavailableException}). The driver tries the next node
     * after each of these, so a request fails with them only when every node of
     * its plan did ({@link AllNodesFailedException}, empty for no node at all).
     */
    static boolean neverExecuted(Throwable e) {
        return everyError(e, x -> x instanceof UnavailableException || x instanceof BootstrappingException
                || x instanceof NodeUnavailableException);
    }

    /**
     * Whether the driver sent the request nowhere: it had no connection to any node
     * of the plan (a pool reconnecting, no node up). Nothing was executed, and a
     * connection may be back within the driver's reconnection delay, so such a
     * request is worth repeating where repeating is safe.
     */
    static boolean neverSent(Throwable e) {
        return e instanceof AllNodesFailedException && everyError(e, x -> x instanceof NodeUnavailableException);
    }

    private static boolean everyError(Throwable e, Predicate<Throwable> test) {
        if (e instanceof AllNodesFailedException all) {
            return all.getAllErrors().values().stream().flatMap(List::stream).allMatch(test);
        }
        return test.test(e);
    }

    /**
     * What went wrong, for the 503's message. The driver wraps what each node of the plan
     * answered in an {@link AllNodesFailedException} (an {@code Unavailable} is tried on the
     * next node, so a coordinator's "not enough replicas" arrives wrapped): the most telling
     * of them is said, a refusal for lack of replicas first.
     */
    static String reason(Throwable e) {
        if (e instanceof AllNodesFailedException all && !all.getAllErrors().isEmpty()) {
            List<Throwable> errors = all.getAllErrors().values().stream().flatMap(List::stream).toList();
            for (Throwable t : errors) {
                if (t instanceof UnavailableException) {
                    return reason(t);
                }
            }
            if (errors.stream().allMatch(t -> t instanceof NodeUnavailableException)) {
                return "no connection to any live node (" + all.getAllErrors().keySet().stream()
                        .map(n -> n.getEndPoint().toString()).sorted().collect(Collectors.joining(", ")) + ")";
            }
            return reason(errors.getLast());
        }
        if (e instanceof UnavailableException u) {
            return "not enough replicas alive (" + u.getConsistencyLevel() + " needs " + u.getRequired() + ", "
                    + u.getAlive() + " alive)";
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
