package dev.switchboard.message.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.message.DevicePlatform;

/**
 * One notification for one device: the platform's payload (APNs or FCM shape,
 * see {@link PushPayloads}) and the token to send it to. {@code messageId} is
 * for logs. The payload is built once and never changed afterwards.
 */
public record PushNotification(DevicePlatform platform, String token, ObjectNode payload, long messageId) {
}
