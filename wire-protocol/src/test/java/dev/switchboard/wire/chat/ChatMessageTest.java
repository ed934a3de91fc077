package dev.switchboard.wire.chat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChatMessageTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void payloadKeepsItsDocumentedShapeWithNullAttachments() {
        ChatMessage m = new ChatMessage(4711, 3, 42, "ana", "hello", null, "c-1", Instant.parse("2026-11-21T10:15:30.123Z"));
        assertEquals("{\"id\":4711,\"seq\":42,\"text\":\"hello\",\"sender\":\"ana\",\"created_at\":\"2026-11-21T10:15:30.123Z\","
                + "\"attachments\":null}", new String(m.payload(), StandardCharsets.UTF_8));
    }

    /** What the edge rebuilds from the REST object (history, recovery replay) is the live publication, byte for byte. */
    @Test
    void publicationReadBackFromTheRestObjectIsTheLiveOneByteForByte() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 2_000; i++) {
            ChatMessage live = randomMessage(random);
            byte[] rest = JSON.writeValueAsBytes(live.toJson());
            ChatMessage read = ChatMessage.fromJson(JSON.readTree(rest));
            assertArrayEquals(live.publication("acme/chat/" + live.channelId()).toByteArray(),
                    read.publication("acme/chat/" + live.channelId()).toByteArray(), "seed " + seed + ", message " + i + ": " + live);
        }
    }

    @Test
    void aRestObjectWithoutItsFieldsIsRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> ChatMessage.fromJson(JSON.readTree("[]")));
        assertThrows(IllegalArgumentException.class, () -> ChatMessage.fromJson(JSON.readTree("{\"id\":1}")));
        JsonNode badTime = JSON.readTree("{\"id\":1,\"channel_id\":1,\"seq\":1,\"sender\":\"a\",\"text\":\"t\",\"created_at\":\"yesterday\"}");
        assertThrows(IllegalArgumentException.class, () -> ChatMessage.fromJson(badTime));
        JsonNode textNumber = JSON.readTree("{\"id\":1,\"channel_id\":1,\"seq\":1,\"sender\":\"a\",\"text\":5,\"created_at\":\"2026-01-01T00:00:00Z\"}");
        assertThrows(IllegalArgumentException.class, () -> ChatMessage.fromJson(textNumber));
    }

    static ChatMessage randomMessage(Random r) {
        Instant at = Instant.ofEpochSecond(r.nextLong(4_000_000_000L), r.nextInt(4) == 0 ? 0 : r.nextInt(1_000_000_000));
        String attachments = r.nextInt(3) == 0 ? null : randomArray(r, 2);
        return new ChatMessage(1 + r.nextLong(Long.MAX_VALUE - 1), 1 + r.nextInt(1000), 1 + r.nextLong(1L << 40),
                "u" + r.nextInt(100), randomText(r), attachments, r.nextBoolean() ? null : randomText(r), at,
                r.nextBoolean() ? MessageState.NONE : randomState(r, at), r.nextBoolean() ? null : randomEvent(r, at));
    }

    static MessageState randomState(Random r, Instant at) {
        java.util.List<Reaction> reactions = new java.util.ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            reactions.add(new Reaction(randomText(r), java.util.List.of("u" + r.nextInt(9), "v" + r.nextInt(9))));
        }
        ThreadSummary thread = r.nextBoolean() ? null
                : new ThreadSummary(r.nextInt(50), r.nextBoolean() ? null : at.plusMillis(5), java.util.List.of("u1"));
        return new MessageState(r.nextBoolean() ? null : at.plusSeconds(1), r.nextInt(4) == 0 ? at.plusSeconds(2) : null,
                reactions, r.nextBoolean() ? 0 : 1 + r.nextInt(1000), r.nextBoolean(), thread,
                r.nextBoolean() ? null : thread, r.nextBoolean() ? java.util.List.of() : java.util.List.of("u2", "u3"));
    }

    static ChatEvent randomEvent(Random r, Instant at) {
        EventKind kind = EventKind.values()[1 + r.nextInt(EventKind.values().length - 1)];
        return new ChatEvent(kind, 1 + r.nextLong(1L << 40), "u" + r.nextInt(9),
                kind.name().startsWith("REACTION") ? randomText(r) : null, r.nextBoolean() ? null : randomText(r),
                at.plusMillis(r.nextInt(10_000)));
    }

    @Test
    void anEventsPublicationCarriesTheEventsSequenceActorAndKey() {
        Instant at = Instant.parse("2026-11-21T10:15:30.123Z");
        ChatEvent edit = new ChatEvent(EventKind.EDIT, 50, "ana", null, "e-1", at.plusSeconds(3));
        MessageState state = new MessageState(at.plusSeconds(3), null, java.util.List.of(), 0, false, null, null,
                java.util.List.of());
        ChatMessage m = new ChatMessage(4711, 3, 42, "ana", "hello!", null, "c-1", at, state, edit);
        var p = m.publication("acme/chat/3");
        assertEquals(50, p.getSeq());
        assertEquals("e-1", p.getClientMsgId());
        assertEquals(at.plusSeconds(3).toEpochMilli(), p.getTimestampMs());
        assertEquals(EventKind.EDIT, m.kind());
        assertEquals("{\"id\":4711,\"seq\":42,\"text\":\"hello!\",\"sender\":\"ana\",\"created_at\":\"2026-11-21T10:15:30.123Z\","
                + "\"attachments\":null,\"edited_at\":\"2026-11-21T10:15:33.123Z\",\"event\":{\"kind\":\"edit\",\"seq\":50,"
                + "\"actor\":\"ana\",\"client_id\":\"e-1\",\"at\":\"2026-11-21T10:15:33.123Z\"}}",
                new String(m.payload(), StandardCharsets.UTF_8));
    }

    /** Well-formed Unicode of every plane (no lone surrogates: those are refused before anything is stored). */
    static String randomText(Random r) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(40);
        for (int i = 0; i < n; i++) {
            int cp = switch (r.nextInt(5)) {
                case 0 -> r.nextInt(0x80);
                case 1 -> r.nextInt(0x800);
                case 2 -> r.nextInt(0x10000);
                default -> r.nextInt(0x110000);
            };
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    /** A JSON array as the REST API would store it (Jackson's own serialization of what a sender gave). */
    static String randomArray(Random r, int depth) {
        var array = JSON.createArrayNode();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            var o = array.addObject();
            o.put("name", randomText(r));
            o.put("size", r.nextLong());
            o.put("ratio", r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
            o.put("big", new java.math.BigInteger(100, r));
            o.put("flag", r.nextBoolean());
            o.putNull("none");
            if (depth > 0 && r.nextBoolean()) {
                try {
                    o.set("nested", JSON.readTree(randomArray(r, depth - 1)));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }
        return array.toString();
    }
}
