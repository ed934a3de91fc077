package dev.switchboard.app.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a fault test's send answers against what the store holds once the fault
 * is over (client_msg_id to channel and sequence): an acknowledgement (201) is
 * stored at the sequence it acknowledged, a refusal (503 {@code UNAVAILABLE}) is
 * not stored at all. Any other answer is the test's to judge by its own rules; it
 * adds what it finds to the same list of violations. Used by the fault tests that
 * stop or kill a message store (PostgresStopFaultIT, CassandraNodeKillFaultIT).
 */
final class AnswersVsStore {
    /** One send's answer, as a fault test records it. */
    interface Sent {
        String clientMsgId();

        int status();

        /** The error envelope's code; "" for none. */
        String code();

        /** The sequence a 201 acknowledged; 0 otherwise. */
        long seq();

        /** Status and code: "201", "503 UNAVAILABLE", "503 COMMIT_OUTCOME_UNKNOWN". */
        default String kind() {
            return status() + (code().isEmpty() ? "" : " " + code());
        }
    }

    /** Where the store holds a client_msg_id's message. */
    record Row(long channel, long seq) {
    }

    private final Map<String, Row> stored;
    private final List<String> violations = new ArrayList<>();

    AnswersVsStore(Map<String, Row> stored) {
        this.stored = stored;
    }

    /** The stored message of {@code clientMsgId}, or null. */
    Row stored(String clientMsgId) {
        return stored.get(clientMsgId);
    }

    /**
     * Checks an acknowledgement or a refusal against the store; false (nothing checked) for any
     * other answer, which the caller judges.
     */
    boolean check(Sent a) {
        Row row = stored.get(a.clientMsgId());
        switch (a.kind()) {
            case "201" -> {
                if (row == null || row.seq() != a.seq()) {
                    violation("acknowledged but not stored at its sequence: " + a);
                }
                return true;
            }
            case "503 UNAVAILABLE" -> {
                if (row != null) {
                    violation("answered 503 UNAVAILABLE but stored (seq " + row.seq() + "): " + a);
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    void violation(String what) {
        violations.add(what);
    }

    List<String> violations() {
        return violations;
    }
}
