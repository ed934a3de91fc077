package dev.switchboard.message.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.ChatService;
import dev.switchboard.message.MessageEvents;
import dev.switchboard.message.SendResult;
import dev.switchboard.message.http.HttpReplies.Reply;
import dev.switchboard.message.internal.ChatJson;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The REST endpoints of message events (ADR 0013): edits, deletes, reactions,
 * thread pages and the channel's log. Every change answers with the message
 * object as it is after the change, its {@code event} included; 200 for a change
 * that stored nothing new (a retry, a reaction already there), else 201 for a new
 * reaction and 200 for the rest. Runs on the event loop; never blocks.
 */
final class MessageEventEndpoints {
    static final int MAX_MENTIONS = 100;

    private final ChatService chat;
    private final MessageEvents events;

    MessageEventEndpoints(ChatService chat) {
        this.chat = chat;
        this.events = chat.events();
    }

    /** {@code PATCH /v1/channels/{id}/messages/{message}} {text, client_msg_id}. */
    CompletableFuture<Reply> edit(ApiRequest r) {
        JsonNode b = r.json();
        return events.edit(r.user(), r.channelId(), messageId(r), ApiRequest.text(b, "text", true),
                ApiRequest.text(b, "client_msg_id", false)).thenApply(MessageEventEndpoints::changed);
    }

    /** {@code DELETE /v1/channels/{id}/messages/{message}?client_msg_id=}: the tombstone. */
    CompletableFuture<Reply> delete(ApiRequest r) {
        return events.delete(r.user(), r.channelId(), messageId(r), queryText(r, "client_msg_id"))
                .thenApply(MessageEventEndpoints::changed);
    }

    /** {@code PUT /v1/channels/{id}/messages/{message}/reactions/{emoji}}: 201 added, 200 already there. */
    CompletableFuture<Reply> addReaction(ApiRequest r) {
        return events.react(r.user(), r.channelId(), messageId(r), emoji(r), true, queryText(r, "client_msg_id"))
                .thenApply(s -> s.duplicate() ? changed(s) : HttpReplies.created(ChatJson.message(s.message())));
    }

    /** {@code DELETE /v1/channels/{id}/messages/{message}/reactions/{emoji}}. */
    CompletableFuture<Reply> removeReaction(ApiRequest r) {
        return events.react(r.user(), r.channelId(), messageId(r), emoji(r), false, queryText(r, "client_msg_id"))
                .thenApply(MessageEventEndpoints::changed);
    }

    /** {@code GET /v1/channels/{id}/messages/{message}/replies?after=SEQ&limit=N}: oldest first. */
    CompletableFuture<Reply> replies(ApiRequest r) {
        return events.replies(r.user(), r.channelId(), messageId(r), r.queryNumber("after", 0), limit(r))
                .thenApply(p -> HttpReplies.page(p, "replies"));
    }

    /** {@code GET /v1/channels/{id}/events?after=SEQ&limit=N}: the log, oldest first (also {@code messages?after=}). */
    CompletableFuture<Reply> log(ApiRequest r) {
        return chat.historyAfter(r.user(), r.channelId(), r.queryNumber("after", 0), limit(r)).thenApply(p -> HttpReplies.page(p, "events"));
    }

    /** The structured mention list of a send body: user ids, or {@code "@channel"} / {@code "@here"}. */
    static List<String> mentions(JsonNode b) {
        JsonNode n = b.get("mentions");
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray() || n.size() > MAX_MENTIONS) {
            throw ChatException.badRequest("mentions must be an array of at most " + MAX_MENTIONS + " user ids");
        }
        List<String> out = new java.util.ArrayList<>(n.size());
        for (JsonNode id : n) {
            if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > 64) {
                throw ChatException.badRequest("mentions must be an array of user ids");
            }
            out.add(id.asText());
        }
        return out;
    }

    private static int limit(ApiRequest r) {
        long limit = r.queryNumber("limit", ChatEndpoints.DEFAULT_PAGE);
        if (limit == 0) {
            throw ChatException.badRequest("limit must be >= 1");
        }
        return (int) Math.min(limit, Integer.MAX_VALUE);
    }

    private static Reply changed(SendResult s) {
        return HttpReplies.ok(ChatJson.message(s.message()));
    }

    private static long messageId(ApiRequest r) {
        return ApiRequest.positiveLong(r.segments().get(4), "message id");
    }

    /** The emoji segment; both routers hand over paths already percent-decoded (a literal '+' stays one). */
    private static String emoji(ApiRequest r) {
        return r.segments().get(6);
    }

    private static String queryText(ApiRequest r, String name) {
        List<String> v = r.query().get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }
}
