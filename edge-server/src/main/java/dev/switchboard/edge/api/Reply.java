package dev.switchboard.edge.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.http.HttpError;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.Response;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pending answer to one server API request; may be completed from any
 * thread. A 5xx other than 503 is answered 500 {@code INTERNAL} with the fixed
 * message of the HTTP layer: its text (which may name an exception) goes to the
 * log only.
 */
final class Reply {
    private static final Logger log = LoggerFactory.getLogger(Reply.class);

    private final HttpExchange exchange;
    private final ObjectMapper json;

    Reply(HttpExchange exchange, ObjectMapper json) {
        this.exchange = exchange;
        this.json = json;
    }

    void ok(Object body) {
        try {
            exchange.respond(Response.of(HttpResponseStatus.OK, json.writeValueAsBytes(body), Response.JSON));
        } catch (JsonProcessingException e) {
            log.error("cannot encode the answer to {} {}", exchange.method(), exchange.path(), e);
            exchange.fail(HttpError.internal());
        }
    }

    void error(HttpResponseStatus status, String code, String message) {
        if (status.code() >= 500 && status.code() != 503) {
            log.error("{} {} failed: {}", exchange.method(), exchange.path(), message);
            exchange.fail(HttpError.internal());
            return;
        }
        exchange.fail(HttpError.of(status, code, message));
    }
}
