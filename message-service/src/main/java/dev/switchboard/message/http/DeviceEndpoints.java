package dev.switchboard.message.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.message.ChatService;
import dev.switchboard.message.Device;
import dev.switchboard.message.DevicePlatform;
import dev.switchboard.message.http.HttpReplies.Reply;
import dev.switchboard.message.internal.ChatJson;
import java.util.concurrent.CompletableFuture;

/** Push device registration under {@code /v1/me/devices}. Runs on the event loop; never blocks. */
final class DeviceEndpoints {
    private final ChatService chat;

    DeviceEndpoints(ChatService chat) {
        this.chat = chat;
    }

    /** {@code POST /v1/me/devices} {platform: "apns"|"fcm", token}: 201 when new to the caller, 200 when already theirs. */
    CompletableFuture<Reply> register(ApiRequest r) {
        JsonNode b = r.json();
        DevicePlatform platform = DevicePlatform.of(ApiRequest.text(b, "platform", true));
        Device device = new Device(r.user().org(), r.user().userId(), platform, ApiRequest.text(b, "token", true));
        return chat.registerDevice(r.user(), platform, device.token())
                .thenApply(created -> created ? HttpReplies.created(json(device)) : HttpReplies.ok(json(device)));
    }

    /** {@code GET /v1/me/devices}: {devices: [...]}. */
    CompletableFuture<Reply> list(ApiRequest r) {
        return chat.devices(r.user()).thenApply(list -> {
            ObjectNode body = ChatJson.MAPPER.createObjectNode();
            ArrayNode out = body.putArray("devices");
            list.forEach(d -> out.add(json(d)));
            return HttpReplies.ok(body);
        });
    }

    /** {@code DELETE /v1/me/devices/{token}}: 204, also when there was nothing to remove (idempotent). */
    CompletableFuture<Reply> unregister(ApiRequest r) {
        return chat.unregisterDevice(r.user(), r.segments().get(3)).thenApply(removed -> HttpReplies.noContent());
    }

    private static ObjectNode json(Device d) {
        ObjectNode n = ChatJson.MAPPER.createObjectNode();
        n.put("platform", d.platform().wireName());
        n.put("token", d.token());
        return n;
    }
}
