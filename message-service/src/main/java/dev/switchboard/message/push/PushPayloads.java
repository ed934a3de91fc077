package dev.switchboard.message.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.message.Channel;
import dev.switchboard.message.ChannelType;
import dev.switchboard.message.Device;
import dev.switchboard.message.Message;
import dev.switchboard.message.internal.ChatJson;

/**
 * The notification payloads. A push only draws attention: the message itself
 * streams over the socket when the app comes back, so the payload carries a
 * title, a truncated body and the ids the app needs to open the right place.
 *
 * <ul>
 * <li>APNs: {@code {"aps": {"alert": {"title", "body"}, "sound": "default",
 *     "thread-id": "<org>/chat/<id>"}, "channel_id", "message_id", "seq"}}</li>
 * <li>FCM (an HTTP v1 {@code message} without its token):
 *     {@code {"notification": {"title", "body"}, "data": {"channel_id", "message_id", "seq"},
 *     "android": {"priority": "high", "collapse_key": "<org>/chat/<id>"}}}; FCM data values are strings.</li>
 * </ul>
 * The title is the channel's name, or for a DM the sender's name. A member the
 * message mentions (ADR 0013: by handle, {@code @channel}, {@code @here} or a
 * structured list, expanded when sent) gets the body {@code "<sender> mentioned you:
 * <text>"} and {@code "mention": true} (APNs top level; FCM {@code data.mention =
 * "true"}), so that the notification says why it came through a mute.
 */
public final class PushPayloads {
    static final String ATTACHMENT_BODY = "sent an attachment";
    static final String MENTIONED_YOU = " mentioned you: ";

    private PushPayloads() {
    }

    /**
     * {@code senderName}: the sender's display name; needed for a DM (its title) and for a device of a
     * mentioned member (its body), else may be null.
     */
    public static PushNotification notification(Device device, Channel channel, Message message, String senderName,
                                                int maxBodyLength) {
        String title = channel.type() == ChannelType.DM ? senderName : channel.name();
        String text = message.text().isBlank() ? ATTACHMENT_BODY : message.text();
        boolean mentioned = message.state().mentions().contains(device.userId());
        String body = truncate(mentioned ? (senderName == null ? message.sender() : senderName) + MENTIONED_YOU + text : text,
                maxBodyLength);
        ObjectNode payload = switch (device.platform()) {
            case APNS -> apns(channel, message, title, body);
            case FCM -> fcm(channel, message, title, body);
        };
        if (mentioned) {
            switch (device.platform()) {
                case APNS -> payload.put("mention", true);
                case FCM -> ((ObjectNode) payload.get("data")).put("mention", "true");
            }
        }
        return new PushNotification(device.platform(), device.token(), payload, message.id());
    }

    static ObjectNode apns(Channel channel, Message message, String title, String body) {
        ObjectNode n = ChatJson.MAPPER.createObjectNode();
        ObjectNode aps = n.putObject("aps");
        ObjectNode alert = aps.putObject("alert");
        alert.put("title", title);
        alert.put("body", body);
        aps.put("sound", "default");
        aps.put("thread-id", channel.realtimeName());
        n.put("channel_id", channel.id());
        n.put("message_id", message.id());
        n.put("seq", message.seq());
        return n;
    }

    static ObjectNode fcm(Channel channel, Message message, String title, String body) {
        ObjectNode n = ChatJson.MAPPER.createObjectNode();
        ObjectNode notification = n.putObject("notification");
        notification.put("title", title);
        notification.put("body", body);
        ObjectNode data = n.putObject("data");
        data.put("channel_id", Long.toString(channel.id()));
        data.put("message_id", Long.toString(message.id()));
        data.put("seq", Long.toString(message.seq()));
        ObjectNode android = n.putObject("android");
        android.put("priority", "high");
        android.put("collapse_key", channel.realtimeName());
        return n;
    }

    /** At most {@code max} code points, ending in an ellipsis when cut (never splitting a surrogate pair). */
    static String truncate(String text, int max) {
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        int end = text.offsetByCodePoints(0, max - 1);
        return text.substring(0, end) + "\u2026";
    }
}
