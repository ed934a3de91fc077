package dev.switchboard.message.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.message.HistoryPage;
import dev.switchboard.message.Message;
import dev.switchboard.message.internal.ChatJson;
import io.netty.handler.codec.http.HttpResponseStatus;

/** What an endpoint answers: a status and a JSON body (null: none). {@link ChatApi} writes it. */
final class HttpReplies {
    private HttpReplies() {
    }

    record Reply(HttpResponseStatus status, JsonNode body) {
    }

    static Reply ok(JsonNode body) {
        return new Reply(HttpResponseStatus.OK, body);
    }

    static Reply created(JsonNode body) {
        return new Reply(HttpResponseStatus.CREATED, body);
    }

    static Reply noContent() {
        return new Reply(HttpResponseStatus.NO_CONTENT, null);
    }

    /** A page of messages as {@code {field: [...], next_cursor}} (the history, a thread's replies, the log). */
    static Reply page(HistoryPage p, String field) {
        ObjectNode body = ChatJson.MAPPER.createObjectNode();
        ArrayNode list = body.putArray(field);
        for (Message m : p.messages()) {
            list.add(ChatJson.message(m));
        }
        if (p.nextCursor() == null) {
            body.putNull("next_cursor");
        } else {
            body.put("next_cursor", p.nextCursor());
        }
        return ok(body);
    }
}
