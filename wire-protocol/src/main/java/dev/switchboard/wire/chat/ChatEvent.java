package dev.switchboard.wire.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * The change a log entry made to a message it did not create (an edit, a delete,
 * a reaction): its own sequence in the channel, who did it and when.
 * {@code emoji} is set for reactions, {@code clientId} when the actor gave an
 * idempotency key. A message's own creation has no ChatEvent: its sequence is
 * the message's.
 */
public record ChatEvent(EventKind kind, long seq, String actor, String emoji, String clientId, Instant at) {
    public ChatEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
        if (kind == EventKind.MESSAGE) {
            throw new IllegalArgumentException("a new message is not a ChatEvent: its sequence is its own");
        }
    }

    void write(ObjectNode n) {
        n.put("kind", kind.wireName());
        n.put("seq", seq);
        n.put("actor", actor);
        if (emoji != null) {
            n.put("emoji", emoji);
        }
        if (clientId != null) {
            n.put("client_id", clientId);
        }
        n.put("at", at.toString());
    }

    static ChatEvent read(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("event must be an object");
        }
        return new ChatEvent(EventKind.of(Fields.string(n, "kind")), Fields.number(n, "seq"),
                Objects.requireNonNullElse(Fields.string(n, "actor"), ""), Fields.string(n, "emoji"),
                Fields.string(n, "client_id"), Fields.instant(n, "at"));
    }
}
