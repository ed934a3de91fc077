package dev.switchboard.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The publish payloads of chat channels (docs/protocol.md, "Chat payloads"): a new
 * message, a thread reply, and the changes to a message (ADR 0013). Each is the JSON
 * the message-service's REST API takes; the edge relays it.
 */
public final class ChatPayloads {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatPayloads() {
    }

    /** A new message; {@code mentions} are user ids, {@code "@channel"} or {@code "@here"} (may be empty). */
    public static byte[] message(String text, List<String> mentions) {
        ObjectNode n = JSON.createObjectNode().put("text", text);
        if (!mentions.isEmpty()) {
            mentions.forEach(n.putArray("mentions")::add);
        }
        return bytes(n);
    }

    /** A reply in the thread of {@code parentId}, also shown in the channel when {@code alsoToChannel}. */
    public static byte[] reply(long parentId, String text, boolean alsoToChannel, List<String> mentions) {
        ObjectNode n = JSON.createObjectNode().put("text", text).put("parent_id", parentId)
                .put("also_to_channel", alsoToChannel);
        if (!mentions.isEmpty()) {
            mentions.forEach(n.putArray("mentions")::add);
        }
        return bytes(n);
    }

    /** Replaces the text of the caller's message. */
    public static byte[] edit(long messageId, String text) {
        return bytes(JSON.createObjectNode().put("kind", "edit").put("message_id", messageId).put("text", text));
    }

    /** Deletes the caller's message (a tombstone stays). */
    public static byte[] delete(long messageId) {
        return bytes(JSON.createObjectNode().put("kind", "delete").put("message_id", messageId));
    }

    /** Adds ({@code add}) or removes the caller's reaction. */
    public static byte[] reaction(long messageId, String emoji, boolean add) {
        return bytes(JSON.createObjectNode().put("kind", add ? "reaction_added" : "reaction_removed")
                .put("message_id", messageId).put("emoji", emoji));
    }

    private static byte[] bytes(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
