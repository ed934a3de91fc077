package dev.switchboard.message.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.message.Channel;
import dev.switchboard.message.ChannelSummary;
import dev.switchboard.message.Member;
import dev.switchboard.message.Membership;
import dev.switchboard.message.Message;
import dev.switchboard.message.User;
import java.time.Instant;

/**
 * The JSON shapes of the chat domain in the REST API: snake_case names, ids as
 * numbers, times as ISO-8601 UTC strings. A message's object is defined with its
 * publication payload in {@link dev.switchboard.wire.chat.ChatMessage}, which the
 * edge also reads.
 */
public final class ChatJson {
    /** Configured once here and never changed: ObjectMapper is thread-safe when used read-only. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private ChatJson() {
    }

    /** The REST message object, defined with the publication payload in {@link dev.switchboard.wire.chat.ChatMessage}. */
    public static ObjectNode message(Message m) {
        return m.toWire().toJson();
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

    /** One entry of {@code GET /v1/channels/{id}/members}: the user, online, and last seen when offline. */
    public static ObjectNode member(Member m) {
        ObjectNode n = user(m.user());
        n.remove("email"); // other members' addresses are not the members list's to give
        if (m.online() != null) {
            n.put("online", m.online());
        }
        if (m.lastSeenAt() != null) {
            n.put("last_seen_at", time(m.lastSeenAt()));
        }
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

    /**
     * One entry of {@code GET /v1/me/channels}: the channel with my settings, unread and mention counts, and the
     * affinity that orders the list.
     */
    public static ObjectNode summary(ChannelSummary s) {
        ObjectNode n = channel(s.channel());
        n.put("unread_count", s.unreadCount());
        n.put("mention_count", s.mentionCount());
        n.put("affinity_score", s.affinityScore());
        n.put("last_read_seq", s.membership().lastReadSeq());
        n.put("muted", s.membership().muted());
        n.put("notify_always", s.membership().notifyAlways());
        n.put("starred", s.membership().starred());
        return n;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
