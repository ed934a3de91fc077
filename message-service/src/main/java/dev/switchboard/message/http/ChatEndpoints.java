package dev.switchboard.message.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.KeyScopeException;
import dev.switchboard.auth.ServerPrincipal;
import dev.switchboard.message.Channel;
import dev.switchboard.message.ChannelDetails;
import dev.switchboard.message.ChannelSummary;
import dev.switchboard.message.ChannelType;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.ChatService;
import dev.switchboard.message.HistoryPage;
import dev.switchboard.message.MembershipUpdate;
import dev.switchboard.message.NewMessage;
import dev.switchboard.message.NewUser;
import dev.switchboard.message.internal.ChatJson;
import dev.switchboard.message.http.HttpReplies.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The REST endpoints: JSON in, a {@link ChatService} call, JSON out. Runs on the event loop; never blocks. */
final class ChatEndpoints {
    static final int DEFAULT_PAGE = 50;
    static final int MAX_ATTACHMENTS = 20;
    static final int MAX_ATTACHMENTS_BYTES = 16 * 1024;

    private final ChatService chat;

    ChatEndpoints(ChatService chat) {
        this.chat = chat;
    }

    /** {@code POST /v1/users}: servers only, in an organisation their key may act in. */
    CompletableFuture<Reply> createUser(ApiRequest r) {
        if (!r.principal().server()) {
            throw ChatException.forbidden("creating users needs an API key");
        }
        JsonNode b = r.json();
        String org = ApiRequest.text(b, "org", false);
        if (org == null && r.principal().user() != null) {
            org = r.principal().user().org();
        }
        if (org == null) {
            throw ChatException.badRequest("org is required");
        }
        try {
            ServerPrincipal.requireOrg(r.principal().key(), org);
        } catch (KeyScopeException e) {
            throw RequestAuthenticator.scopeRefusal(e);
        }
        NewUser u = new NewUser(org, ApiRequest.text(b, "id", true), ApiRequest.text(b, "name", true),
                ApiRequest.text(b, "email", false), ApiRequest.text(b, "handle", false));
        return chat.createUser(u).thenApply(user -> HttpReplies.created(ChatJson.user(user)));
    }

    /** {@code POST /v1/channels} {name, type: "GROUP", members}. */
    CompletableFuture<Reply> createGroup(ApiRequest r) {
        JsonNode b = r.json();
        String type = ApiRequest.text(b, "type", false);
        if (type != null && !type.equals(ChannelType.GROUP.name())) {
            throw ChatException.badRequest("type must be GROUP (open a DM with POST /v1/dms)");
        }
        List<String> members = new ArrayList<>();
        JsonNode m = b.get("members");
        if (m != null && !m.isNull()) {
            if (!m.isArray()) {
                throw ChatException.badRequest("members must be an array of user ids");
            }
            for (JsonNode id : m) {
                if (!id.isTextual()) {
                    throw ChatException.badRequest("members must be an array of user ids");
                }
                members.add(id.asText());
            }
        }
        return chat.createGroup(r.user(), ApiRequest.text(b, "name", true), members)
                .thenApply(d -> HttpReplies.created(details(d)));
    }

    /** {@code POST /v1/dms} {user_id}: 201 when created, 200 when it existed. */
    CompletableFuture<Reply> openDm(ApiRequest r) {
        String other = ApiRequest.text(r.json(), "user_id", true);
        return chat.openDm(r.user(), other).thenApply(o -> o.created()
                ? HttpReplies.created(details(o.details())) : HttpReplies.ok(details(o.details())));
    }

    /** {@code GET /v1/channels/{id}}. */
    CompletableFuture<Reply> channel(ApiRequest r) {
        return chat.channel(r.user(), r.channelId()).thenApply(d -> HttpReplies.ok(details(d)));
    }

    /** {@code GET /v1/channels/{id}/members}: users with {@code online} and, when offline, {@code last_seen_at}. */
    CompletableFuture<Reply> members(ApiRequest r) {
        return chat.members(r.user(), r.channelId()).thenApply(list -> {
            ObjectNode body = ChatJson.MAPPER.createObjectNode();
            ArrayNode out = body.putArray("members");
            list.forEach(m -> out.add(ChatJson.member(m)));
            return HttpReplies.ok(body);
        });
    }

    /** {@code POST /v1/channels/{id}/members} {user_id}. */
    CompletableFuture<Reply> addMember(ApiRequest r) {
        String user = ApiRequest.text(r.json(), "user_id", true);
        return chat.addMember(r.user(), r.channelId(), user)
                .thenApply(s -> HttpReplies.created(ChatJson.membership(s.membership())));
    }

    /** {@code DELETE /v1/channels/{id}/members/{user_id}}. */
    CompletableFuture<Reply> removeMember(ApiRequest r) {
        return chat.removeMember(r.user(), r.channelId(), r.segments().get(4))
                .thenApply(v -> HttpReplies.noContent());
    }

    /** {@code PATCH /v1/channels/{id}/membership} {muted, notify_always, starred}. */
    CompletableFuture<Reply> updateMembership(ApiRequest r) {
        JsonNode b = r.json();
        MembershipUpdate u = new MembershipUpdate(ApiRequest.bool(b, "muted"), ApiRequest.bool(b, "notify_always"),
                ApiRequest.bool(b, "starred"));
        if (u.isEmpty()) {
            throw ChatException.badRequest("set at least one of muted, notify_always, starred");
        }
        return chat.updateMembership(r.user(), r.channelId(), u)
                .thenApply(m -> HttpReplies.ok(ChatJson.membership(m)));
    }

    /**
     * {@code POST /v1/channels/{id}/messages} {text, client_msg_id, attachments, parent_id, also_to_channel,
     * mentions}: 201 new, 200 a retry.
     */
    CompletableFuture<Reply> send(ApiRequest r) {
        JsonNode b = r.json();
        Boolean also = ApiRequest.bool(b, "also_to_channel");
        NewMessage m = new NewMessage(ApiRequest.text(b, "text", false), attachments(b.get("attachments")),
                ApiRequest.text(b, "client_msg_id", false), b.hasNonNull("parent_id") ? ApiRequest.number(b, "parent_id") : 0,
                also != null && also, MessageEventEndpoints.mentions(b));
        return chat.send(r.user(), r.channelId(), m).thenApply(s -> s.duplicate()
                ? HttpReplies.ok(ChatJson.message(s.message())) : HttpReplies.created(ChatJson.message(s.message())));
    }

    /** {@code GET /v1/channels/{id}/messages?limit=N&before=SEQ} (newest first) or {@code after=SEQ} (oldest first). */
    CompletableFuture<Reply> history(ApiRequest r) {
        if (r.hasQuery("before") && r.hasQuery("after")) {
            throw ChatException.badRequest("before and after exclude each other");
        }
        long limit = r.queryNumber("limit", DEFAULT_PAGE);
        int n = (int) Math.max(1, Math.min(limit, Integer.MAX_VALUE));
        if (limit == 0) {
            throw ChatException.badRequest("limit must be >= 1");
        }
        CompletableFuture<HistoryPage> page = r.hasQuery("after")
                ? chat.historyAfter(r.user(), r.channelId(), r.queryNumber("after", 0), n)
                : chat.historyBefore(r.user(), r.channelId(), r.queryNumber("before", 0), n);
        return page.thenApply(p -> HttpReplies.page(p, "messages"));
    }

    /** {@code PUT /v1/channels/{id}/read} {seq}. */
    CompletableFuture<Reply> markRead(ApiRequest r) {
        long seq = ApiRequest.number(r.json(), "seq");
        long channelId = r.channelId();
        return chat.markRead(r.user(), channelId, seq).thenApply(checkpoint -> {
            ObjectNode body = ChatJson.MAPPER.createObjectNode();
            body.put("channel_id", channelId);
            body.put("last_read_seq", checkpoint);
            return HttpReplies.ok(body);
        });
    }

    /**
     * {@code GET /v1/me/channels}: DMs and groups apart. With {@code ?counts=false} each entry is the channel alone
     * (id, name, type, last sequence), without the counts and settings: what an edge reads at every connect.
     */
    CompletableFuture<Reply> myChannels(ApiRequest r) {
        if (r.query().getOrDefault("counts", List.of()).contains("false")) {
            return chat.memberChannels(r.user()).thenApply(list -> {
                ObjectNode body = ChatJson.MAPPER.createObjectNode();
                ArrayNode dms = body.putArray("dms");
                ArrayNode groups = body.putArray("groups");
                for (Channel c : list) {
                    (c.type() == ChannelType.DM ? dms : groups).add(ChatJson.channel(c));
                }
                return HttpReplies.ok(body);
            });
        }
        return chat.memberships(r.user()).thenApply(list -> {
            ObjectNode body = ChatJson.MAPPER.createObjectNode();
            ArrayNode dms = body.putArray("dms");
            ArrayNode groups = body.putArray("groups");
            for (ChannelSummary s : list) {
                (s.channel().type() == ChannelType.DM ? dms : groups).add(ChatJson.summary(s));
            }
            return HttpReplies.ok(body);
        });
    }

    private static ObjectNode details(ChannelDetails d) {
        ObjectNode n = ChatJson.channel(d.channel());
        ArrayNode members = n.putArray("members");
        d.members().forEach(members::add);
        return n;
    }

    /** Attachment metadata: an array of at most {@value #MAX_ATTACHMENTS} objects, stored as given. */
    private static String attachments(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray() || n.size() > MAX_ATTACHMENTS) {
            throw ChatException.badRequest("attachments must be an array of at most " + MAX_ATTACHMENTS + " objects");
        }
        for (JsonNode a : n) {
            if (!a.isObject()) {
                throw ChatException.badRequest("each attachment must be an object");
            }
        }
        String json = n.toString();
        if (json.length() > MAX_ATTACHMENTS_BYTES) {
            throw ChatException.badRequest("attachments metadata is larger than " + MAX_ATTACHMENTS_BYTES + " bytes");
        }
        return json;
    }
}
