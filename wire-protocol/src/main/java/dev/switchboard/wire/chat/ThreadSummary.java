package dev.switchboard.wire.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * What a thread's root shows: how many replies (deleted ones too: they stay in the
 * thread as tombstones), when the last came, and who replied, in order of their
 * first reply.
 */
public record ThreadSummary(int replyCount, Instant lastReplyAt, List<String> repliers) {
    public ThreadSummary {
        repliers = List.copyOf(repliers);
    }

    ObjectNode write(ObjectNode n) {
        n.put("reply_count", replyCount);
        n.put("last_reply_at", lastReplyAt == null ? null : lastReplyAt.toString());
        Fields.strings(n.putArray("repliers"), repliers);
        return n;
    }

    static ThreadSummary read(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("a thread summary must be an object");
        }
        String last = Fields.string(n, "last_reply_at");
        return new ThreadSummary((int) Fields.number(n, "reply_count"), last == null ? null : Fields.instant(n, "last_reply_at"),
                Fields.stringList(n, "repliers"));
    }
}
