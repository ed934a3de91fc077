package dev.switchboard.message.http;

import com.fasterxml.jackson.databind.JsonNode;
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
}
