package dev.switchboard.message.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.message.Channel;
import dev.switchboard.message.ChannelSummary;
import dev.switchboard.message.Membership;
import dev.switchboard.message.Message;
import dev.switchboard.message.User;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The JSON shapes of the chat domain, shared by the REST API and the payload of
 * published messages so that both say the same thing the same way: snake_case
 * names, ids as numbers, times as ISO-8601 UTC strings.
 */
public final class ChatJson {
    /** Configured once here and never changed: ObjectMapper is thread-safe when used read-only. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private ChatJson() {
    }

    /**
     * The payload of a chat message publication, UTF-8 JSON:
     * {@code {"id","seq","text","sender","created_at","attachments"}}.
     */
    public static byte[] payload(Message m) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", m.id());
        n.put("seq", m.seq());
        n.put("text", m.text());
        n.put("sender", m.sender());
        n.put("created_at", time(m.createdAt()));
        n.set("attachments", attachments(m.attachments()));
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode message(Message m) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", m.id());
        n.put("channel_id", m.channelId());
        n.put("seq", m.seq());
        n.put("sender", m.sender());
        n.put("text", m.text());
        n.set("attachments", attachments(m.attachments()));
        n.put("client_msg_id", m.clientMsgId());
        n.put("created_at", time(m.createdAt()));
        return n;
    }

    public static ObjectNode user(User u) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("org", u.org());
        n.put("id", u.id());
        n.put("name", u.name());
        n.put("email", u.email());
        n.put("handle", u.handle());
        n.put("created_at", time(u.createdAt()));
        return n;
    }

    public static ObjectNode channel(Channel c) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", c.id());
        n.put("org", c.org());
        n.put("name", c.name());
        n.put("type", c.type().name());
        n.put("realtime_channel", c.realtimeName());
        n.put("last_seq", c.lastSeq());
        n.put("created_at", time(c.createdAt()));
        return n;
    }

    public static ObjectNode membership(Membership m) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("channel_id", m.channelId());
        n.put("user_id", m.userId());
        n.put("joined_at", time(m.joinedAt()));
        n.put("muted", m.muted());
        n.put("notify_always", m.notifyAlways());
        n.put("starred", m.starred());
        n.put("last_read_seq", m.lastReadSeq());
        return n;
    }

    /** One entry of {@code GET /v1/me/channels}: the channel with my settings and unread count. */
    public static ObjectNode summary(ChannelSummary s) {
        ObjectNode n = channel(s.channel());
        n.put("unread_count", s.unreadCount());
        n.put("last_read_seq", s.membership().lastReadSeq());
        n.put("muted", s.membership().muted());
        n.put("notify_always", s.membership().notifyAlways());
        n.put("starred", s.membership().starred());
        return n;
    }

    private static JsonNode attachments(String json) {
        if (json == null) {
            return NullNode.getInstance();
        }
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // Stored attachments were validated JSON on the way in; this is a corrupted row.
            throw new UncheckedIOException(e);
        }
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
