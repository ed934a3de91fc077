package dev.switchboard.wire.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of the chat JSON shapes; every malformed field is an {@link IllegalArgumentException}. */
final class Fields {
    private Fields() {
    }

    static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(field + " must be an integer");
        }
        return v.longValue();
    }

    static String string(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.textValue();
    }

    static Instant instant(JsonNode n, String field) {
        String v = string(n, field);
        if (v == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be an ISO-8601 instant");
        }
    }

    static Instant optionalInstant(JsonNode n, String field) {
        return string(n, field) == null ? null : instant(n, field);
    }

    static List<String> stringList(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode s : v) {
            if (!s.isTextual()) {
                throw new IllegalArgumentException(field + " must be an array of strings");
            }
            out.add(s.textValue());
        }
        return out;
    }

    static void strings(ArrayNode into, List<String> values) {
        values.forEach(into::add);
    }
}
