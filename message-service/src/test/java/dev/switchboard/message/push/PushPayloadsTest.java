package dev.switchboard.message.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.message.Channel;
import dev.switchboard.message.ChannelType;
import dev.switchboard.message.Device;
import dev.switchboard.message.DevicePlatform;
import dev.switchboard.message.Message;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PushPayloadsTest {
    static final Channel GROUP = new Channel(7, "acme", "general", ChannelType.GROUP, 42, Instant.EPOCH);
    static final Channel DM = new Channel(8, "acme", "ana|ben", ChannelType.DM, 1, Instant.EPOCH);

    @Test
    void apnsPayloadHasAlertThreadAndIds() {
        PushNotification n = PushPayloads.notification(new Device("acme", "ben", DevicePlatform.APNS, "tok"), GROUP,
                message("hello"), null, 200);
        ObjectNode p = n.payload();
        assertEquals("general", p.at("/aps/alert/title").asText());
        assertEquals("hello", p.at("/aps/alert/body").asText());
        assertEquals("acme/chat/7", p.at("/aps/thread-id").asText());
        assertEquals(7, p.get("channel_id").asLong());
        assertEquals(99, p.get("message_id").asLong());
        assertEquals(42, p.get("seq").asLong());
        assertEquals("tok", n.token());
    }

    @Test
    void fcmPayloadCarriesStringDataAndDmsAreTitledBySender() {
        PushNotification n = PushPayloads.notification(new Device("acme", "ben", DevicePlatform.FCM, "tok"), DM,
                message(""), "Ana", 200);
        ObjectNode p = n.payload();
        assertEquals("Ana", p.at("/notification/title").asText());
        assertEquals(PushPayloads.ATTACHMENT_BODY, p.at("/notification/body").asText());
        assertEquals("8", p.at("/data/channel_id").asText());
        assertEquals("99", p.at("/data/message_id").asText());
        assertEquals("42", p.at("/data/seq").asText());
        assertEquals("high", p.at("/android/priority").asText());
    }

    @Test
    void bodyIsTruncatedByCodePointsWithAnEllipsis() {
        assertEquals("abcdefghi\u2026", PushPayloads.truncate("abcdefghijklmnop", 10));
        assertEquals("short", PushPayloads.truncate("short", 10));
        String emoji = "\uD83D\uDE00".repeat(12);
        assertEquals("\uD83D\uDE00".repeat(9) + "\u2026", PushPayloads.truncate(emoji, 10));
    }

    @Test
    void optionsValidateAndBackoffDoublesUpToTheCap() {
        PushOptions o = PushOptions.builder().webhookUrl(URI.create("http://gw/push"))
                .initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofMillis(350)).build();
        assertEquals(Duration.ofMillis(100), o.backoff(1));
        assertEquals(Duration.ofMillis(200), o.backoff(2));
        assertEquals(Duration.ofMillis(350), o.backoff(3));
        assertEquals(Duration.ofMillis(350), o.backoff(60));
        assertEquals(null, PushOptions.disabled().webhookUrl());
        assertThrows(IllegalArgumentException.class, () -> PushOptions.builder().webhookUrl(URI.create("ftp://x")).build());
        assertThrows(IllegalArgumentException.class, () -> PushOptions.builder().maxAttempts(0).build());
        assertThrows(IllegalArgumentException.class, () -> PushOptions.builder().queueCapacity(0).build());
        assertThrows(IllegalArgumentException.class, () -> PushOptions.builder()
                .initialBackoff(Duration.ofSeconds(2)).maxBackoff(Duration.ofSeconds(1)).build());
    }

    static Message message(String text) {
        return new Message(99, 7, 42, "ana", text, null, null, Instant.EPOCH);
    }
}
