package dev.switchboard.wire.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened to a message after it was sent, as of the log entry that carries
 * it (ADR 0013): when it was last edited, whether it is deleted (a tombstone: its
 * text and attachments are gone), its reactions per emoji, its place in a thread
 * ({@code parentId} 0 for a channel message; a root's {@code thread}, a reply's
 * {@code parentThread}), and whom it mentions (user ids, {@code @channel} and
 * {@code @here} expanded when it was sent).
 *
 * <p>Only what is not the default is written, so a message nothing happened to
 * keeps the payload it always had.
 */
public record MessageState(Instant editedAt, Instant deletedAt, List<Reaction> reactions, long parentId,
                           boolean alsoToChannel, ThreadSummary thread, ThreadSummary parentThread,
                           List<String> mentions) {
    public static final MessageState NONE = new MessageState(null, null, List.of(), 0, false, null, null, List.of());

    public MessageState {
        reactions = List.copyOf(reactions);
        mentions = List.copyOf(mentions);
    }

    public boolean deleted() {
        return deletedAt != null;
    }

    void write(ObjectNode n) {
        if (editedAt != null) {
            n.put("edited_at", editedAt.toString());
        }
        if (deletedAt != null) {
            n.put("deleted_at", deletedAt.toString());
        }
        if (!reactions.isEmpty()) {
            ArrayNode list = n.putArray("reactions");
            for (Reaction r : reactions) {
                ObjectNode o = list.addObject();
                o.put("emoji", r.emoji());
                o.put("count", r.count());
                Fields.strings(o.putArray("users"), r.users());
            }
        }
        if (parentId != 0) {
            n.put("parent_id", parentId);
            if (alsoToChannel) {
                n.put("also_to_channel", true);
            }
        }
        if (thread != null) {
            n.set("thread", thread.write(n.objectNode()));
        }
        if (parentThread != null) {
            n.set("parent_thread", parentThread.write(n.objectNode()));
        }
        if (!mentions.isEmpty()) {
            Fields.strings(n.putArray("mentions"), mentions);
        }
    }

    static MessageState read(JsonNode n) {
        List<Reaction> reactions = new ArrayList<>();
        JsonNode list = n.get("reactions");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException("reactions must be an array");
            }
            for (JsonNode r : list) {
                if (!r.isObject()) {
                    throw new IllegalArgumentException("each reaction must be an object");
                }
                reactions.add(new Reaction(Fields.string(r, "emoji"), Fields.stringList(r, "users")));
            }
        }
        JsonNode parent = n.get("parent_id");
        JsonNode also = n.get("also_to_channel");
        MessageState s = new MessageState(Fields.optionalInstant(n, "edited_at"), Fields.optionalInstant(n, "deleted_at"),
                reactions, parent == null || parent.isNull() ? 0 : Fields.number(n, "parent_id"),
                also != null && also.asBoolean(), ThreadSummary.read(n.get("thread")),
                ThreadSummary.read(n.get("parent_thread")), Fields.stringList(n, "mentions"));
        return s.equals(NONE) ? NONE : s;
    }
}
