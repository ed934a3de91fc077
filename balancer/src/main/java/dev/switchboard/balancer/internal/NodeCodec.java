package dev.switchboard.balancer.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.balancer.NodeInfo;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON of a registry record, readable with {@code redis-cli GET}:
 * {@code {"node_id","url","connections","capacity","draining","updated_at_ms"}}.
 * Unknown fields are ignored so that newer edge nodes can add some.
 */
public final class NodeCodec {
    private final ObjectMapper json = new ObjectMapper();

    public String encode(NodeInfo n) {
        ObjectNode o = toJson(n);
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a node record", e);
        }
    }

    /**
     * The record with what the node adds for the fleet status page: its server API's URL ({@code api_url}, null:
     * none) and a small {@code status} object (null: none). {@link #decode} ignores both.
     */
    public String encode(NodeInfo n, String apiUrl, Map<String, ?> status) {
        ObjectNode o = toJson(n);
        if (apiUrl != null) {
            o.put("api_url", apiUrl);
        }
        if (status != null) {
            o.set("status", json.valueToTree(status));
        }
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot encode a node record", e);
        }
    }

    /** The record as JSON, or empty when it does not parse. */
    public Optional<JsonNode> tree(String value) {
        try {
            JsonNode o = json.readTree(value);
            return o != null && o.isObject() ? Optional.of(o) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    public ObjectNode toJson(NodeInfo n) {
        return json.createObjectNode().put("node_id", n.nodeId()).put("url", n.url())
                .put("connections", n.connections()).put("capacity", n.capacity())
                .put("draining", n.draining()).put("updated_at_ms", n.updatedAtMs());
    }

    /** The record, or empty when it is not one (a foreign or corrupt value is skipped, never fatal). */
    public Optional<NodeInfo> decode(String value) {
        try {
            JsonNode o = json.readTree(value);
            return Optional.of(new NodeInfo(o.path("node_id").asText(null), o.path("url").asText(null),
                    o.path("connections").asInt(-1), o.path("capacity").asInt(0),
                    o.path("draining").asBoolean(false), o.path("updated_at_ms").asLong(0)));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
