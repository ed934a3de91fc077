package dev.switchboard.edge.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.switchboard.wire.proto.Publication;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Turns a message of the REST API back into the publication live subscribers
 * got: same sequence, ids and payload fields ({@code id, seq, text, sender,
 * created_at, attachments}, the message-service's publication payload).
 */
final class MessageJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MessageJson() {
    }

    static Publication publication(String channel, JsonNode m) {
        ObjectNode payload = JSON.createObjectNode();
        payload.set("id", m.path("id"));
        payload.set("seq", m.path("seq"));
        payload.set("text", m.path("text"));
        payload.set("sender", m.path("sender"));
        payload.set("created_at", m.path("created_at"));
        if (m.hasNonNull("attachments")) {
            payload.set("attachments", m.get("attachments"));
        }
        Publication.Builder p = Publication.newBuilder().setChannel(channel)
                .setSeq(m.path("seq").asLong()).setMessageId(m.path("id").asLong())
                .setSenderId(m.path("sender").asText(""))
                .setTimestampMs(Instant.parse(m.path("created_at").asText(Instant.EPOCH.toString())).toEpochMilli())
                .setPayload(ByteString.copyFrom(payload.toString(), StandardCharsets.UTF_8));
        if (m.hasNonNull("client_msg_id")) {
            p.setClientMsgId(m.get("client_msg_id").asText());
        }
        return p.build();
    }
}
