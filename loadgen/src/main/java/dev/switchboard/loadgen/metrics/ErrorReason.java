package dev.switchboard.loadgen.metrics;

import java.util.Objects;

/**
 * What kind of error, and why: "handshake: HTTP 429 Too Many Requests",
 * "closed: disconnect 4008 too many commands". Reasons are short and of low
 * cardinality (status and close codes, exception kinds without addresses), so
 * that equal causes count together; {@link LoadStats} keeps a bounded number
 * of them per process and counts the rest as {@link #OTHER}.
 */
public record ErrorReason(ErrorKind kind, String reason) implements Comparable<ErrorReason> {
    /** What reasons past the bound are counted as. */
    public static final String OTHER = "(other reasons)";

    public ErrorReason {
        Objects.requireNonNull(kind, "kind");
        reason = reason == null || reason.isBlank() ? "unknown" : reason.strip();
    }

    @Override
    public int compareTo(ErrorReason o) {
        int k = kind.compareTo(o.kind);
        return k != 0 ? k : reason.compareTo(o.reason);
    }

    @Override
    public String toString() {
        return kind.id() + ": " + reason;
    }
}
