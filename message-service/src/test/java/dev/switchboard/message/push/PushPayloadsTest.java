package dev.switchboard.message.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.message.Channel;
import dev.switchboard.message.ChannelType;
import dev.switchboard.message.Device;
import dev.switchboard.message.DevicePlatform;
import dev.switchboard.message.Message;
import dev.switchboard.wire.chat.MessageState;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    void aMentionedMemberIsToldWhoMentionedThemAndOthersAreNot() {
        Message m = message("@ben can you look?").with(new MessageState(null, null, List.of(), 0, false, null, null,
                List.of("ben")), null);
        PushNotification apns = PushPayloads.notification(new Device("acme", "ben", DevicePlatform.APNS, "t1"), GROUP,
                m, "Ana", 200);
        assertEquals("general", apns.payload().at("/aps/alert/title").asText());
        assertEquals("Ana mentioned you: @ben can you look?", apns.payload().at("/aps/alert/body").asText());
        assertTrue(apns.payload().get("mention").asBoolean());
        PushNotification fcm = PushPayloads.notification(new Device("acme", "ben", DevicePlatform.FCM, "t2"), DM,
                m, "Ana", 20);
        assertEquals("Ana", fcm.payload().at("/notification/title").asText());
        assertEquals("Ana mentioned you: \u2026", fcm.payload().at("/notification/body").asText(), "cut as a whole");
        assertEquals("true", fcm.payload().at("/data/mention").asText());
        PushNotification other = PushPayloads.notification(new Device("acme", "cy", DevicePlatform.APNS, "t3"), GROUP,
                m, "Ana", 200);
        assertEquals("@ben can you look?", other.payload().at("/aps/alert/body").asText());
        assertFalse(other.payload().has("mention"));
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
