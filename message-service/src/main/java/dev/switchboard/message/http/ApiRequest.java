package dev.switchboard.message.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.TextValidator;
import dev.switchboard.message.UserRef;
import dev.switchboard.message.internal.ChatJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One REST call after routing: who made it, the path's segments, the query and
 * the buffered body (empty for routes without one). The accessors turn bad input
 * into 400s.
 */
record ApiRequest(Principal principal, List<String> segments, Map<String, List<String>> query, byte[] body) {

    /** The call of a routed exchange whose route authenticates with {@link ChatApi}'s authenticator. */
    static ApiRequest of(HttpExchange ex, boolean withBody) {
        return new ApiRequest(ex.principal(Principal.class), segments(ex.path()), ex.query(),
                withBody ? ex.body() : new byte[0]);
    }

    static List<String> segments(String path) {
        List<String> out = new ArrayList<>(6);
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The user the call acts for; a server call must name one with the act-as headers. */
    UserRef user() {
        if (principal.user() == null) {
            throw ChatException.badRequest("a server call must act for a user: set "
                    + RequestAuthenticator.ACT_AS_USER + " and " + RequestAuthenticator.ACT_AS_ORG);
        }
        return principal.user();
    }

    long channelId() {
        return positiveLong(segments.get(2), "channel id");
    }

    /** The body as a JSON object. */
    JsonNode json() {
        if (body.length == 0) {
            throw ChatException.badRequest("a JSON object body is required");
        }
        try {
            JsonNode n = ChatJson.MAPPER.readTree(body);
            if (n == null || !n.isObject()) {
                throw ChatException.badRequest("the body must be a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw ChatException.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ChatException.badRequest("unreadable body");
        }
    }

    static String text(JsonNode body, String field, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw ChatException.badRequest(field + " is required");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw ChatException.badRequest(field + " must be a string");
        }
        // Every string a call hands in may end up stored: refuse what cannot be stored as sent.
        return TextValidator.storable(field, n.asText());
    }

    static Boolean bool(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw ChatException.badRequest(field + " must be true or false");
        }
        return n.booleanValue();
    }

    static long number(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.canConvertToLong() || !n.isIntegralNumber()) {
            throw ChatException.badRequest(field + " must be an integer");
        }
        return n.longValue();
    }

    /** A query parameter as a non-negative number, or {@code absent} when not given. */
    long queryNumber(String name, long absent) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return absent;
        }
        try {
            long v = Long.parseLong(values.getFirst());
            if (v < 0) {
                throw ChatException.badRequest(name + " must be >= 0");
            }
            return v;
        } catch (NumberFormatException e) {
            throw ChatException.badRequest(name + " must be a number");
        }
    }

    boolean hasQuery(String name) {
        return query.containsKey(name);
    }

    static long positiveLong(String s, String what) {
        try {
            long v = Long.parseLong(s);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through to the 400
        }
        throw ChatException.badRequest("bad " + what + ": " + s);
    }
}
