package dev.switchboard.message.http;

import static dev.switchboard.message.http.MessageServerIT.as;
import static dev.switchboard.message.http.MessageServerIT.assertError;
import static dev.switchboard.message.http.MessageServerIT.group;
import static dev.switchboard.message.http.MessageServerIT.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.message.RecordingBroker;
import dev.switchboard.message.http.RestClient.Response;
import dev.switchboard.wire.ChannelNames;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.chat.ChatMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Message events over the REST API (ADR 0013), on the server and PostgreSQL of
 * {@link MessageServerIT}: each change is answered with the message as changed and
 * published with its own sequence, the same bytes that the log replays.
 */
class MessageEventsIT {

    @BeforeAll
    static void start() throws Exception {
        MessageServerIT.start();
    }

    @AfterAll
    static void stop() {
        MessageServerIT.stop();
    }

    static String path(long channel, long message) {
        return "/v1/channels/" + channel + "/messages/" + message;
    }

    static String reaction(long channel, long message, String emoji) {
        return path(channel, message) + "/reactions/" + URLEncoder.encode(emoji, StandardCharsets.UTF_8);
    }

    @Test
    void editsReactionsRepliesAndDeletesArePublishedAsTheLogReplaysThem() {
        long g = group("ana", "lifecycle", "ben");
        String realtime = ChannelNames.chat("acme", g);
        MessageServerIT.broker.subscribe(realtime);
        long m = send("ana", g, "{\"text\":\"hello\"}").body().get("id").asLong();
        Response edited = as("acme", "ana", "PATCH", path(g, m), "{\"text\":\"hello, world\",\"client_msg_id\":\"e1\"}");
        assertEquals(200, edited.status(), String.valueOf(edited.body()));
        assertEquals("edit", edited.body().path("event").path("kind").asText());
        assertEquals(2, edited.body().path("event").path("seq").asLong());
        Response again = as("acme", "ana", "PATCH", path(g, m), "{\"text\":\"hello, world\",\"client_msg_id\":\"e1\"}");
        assertEquals(edited.body(), again.body(), "a retried edit answers with the first");
        Response added = as("acme", "ben", "PUT", reaction(g, m, "👍"), null);
        assertEquals(201, added.status(), String.valueOf(added.body()));
        assertEquals(200, as("acme", "ben", "PUT", reaction(g, m, "👍"), null).status());
        assertEquals(1, added.body().path("reactions").get(0).path("count").asInt());
        Response shortcode = as("acme", "ana", "PUT", reaction(g, m, ":+1:"), null);
        assertEquals(201, shortcode.status(), "a '+' in an emoji name is kept: " + shortcode.body());
        assertEquals(":+1:", shortcode.body().path("reactions").get(1).path("emoji").asText());
        assertEquals(200, as("acme", "ana", "DELETE", reaction(g, m, ":+1:"), null).status());
        Response reply = send("ben", g, "{\"text\":\"agreed\",\"parent_id\":" + m + ",\"also_to_channel\":true}");
        assertEquals(201, reply.status(), String.valueOf(reply.body()));
        assertEquals(1, reply.body().path("parent_thread").path("reply_count").asInt());
        assertEquals(200, as("acme", "ben", "DELETE", reaction(g, m, "👍"), null).status());
        Response deleted = as("acme", "ben", "DELETE", path(g, reply.body().get("id").asLong()), null);
        assertEquals(200, deleted.status(), String.valueOf(deleted.body()));
        assertTrue(deleted.body().has("deleted_at"));

        JsonNode log = as("acme", "ben", "GET", "/v1/channels/" + g + "/events?after=0", null).body();
        assertEquals(8, log.get("events").size());
        List<RecordingBroker.Delivery> live = MessageServerIT.broker.on(realtime);
        assertEquals(8, live.size());
        for (int i = 0; i < 8; i++) {
            assertEquals(i + 1, live.get(i).frame().getPublication().getSeq());
            // The live copy and the replayed copy of an entry differ only in what happened after it.
            ChatMessage replayed = ChatMessage.fromJson(log.get("events").get(i));
            assertEquals(live.get(i).frame().getPublication().getMessageId(), replayed.id());
            assertEquals(i + 1, replayed.logSeq());
        }
        assertEquals(live.get(7).frame().getPublication(), ChatMessage.fromJson(log.get("events").get(7))
                .publication(realtime), "the newest entry replays as it went live");
        JsonNode history = MessageServerIT.history("ben", g, "");
        assertEquals(2, history.get("messages").size(), "a reply also sent to the channel shows there");
        JsonNode replies = as("acme", "ana", "GET", path(g, m) + "/replies", null).body();
        assertEquals(1, replies.get("replies").size());
    }

    @Test
    void refusesWhatIsNotAllowedWithClearErrors() {
        long g = group("ana", "rules", "ben");
        long m = send("ana", g, "{\"text\":\"mine\"}").body().get("id").asLong();
        assertError(403, ErrorCode.PERMISSION_DENIED, as("acme", "ben", "PATCH", path(g, m), "{\"text\":\"x\"}"));
        assertError(403, ErrorCode.PERMISSION_DENIED, as("acme", "cy", "PUT", reaction(g, m, ":x:"), null));
        assertError(404, ErrorCode.NOT_FOUND, as("globex", "ana", "PUT", reaction(g, m, ":x:"), null));
        assertError(404, ErrorCode.NOT_FOUND, as("acme", "ana", "PATCH", path(g, 99_999_999), "{\"text\":\"x\"}"));
        assertError(400, ErrorCode.BAD_REQUEST, as("acme", "ben", "PUT", reaction(g, m, "x".repeat(65)), null));
        assertError(400, ErrorCode.BAD_REQUEST, as("acme", "ana", "PATCH", path(g, m), "{\"text\":5}"));
        assertEquals(200, as("acme", "ana", "DELETE", path(g, m), null).status());
        assertError(409, ErrorCode.CONFLICT, as("acme", "ana", "PATCH", path(g, m), "{\"text\":\"back\"}"));
        assertError(409, ErrorCode.CONFLICT, as("acme", "ben", "PUT", reaction(g, m, ":x:"), null));
    }

    @Test
    void mentionsResolveHandlesAndChannelAndAreCountedPerMember() {
        Response dee = MessageServerIT.server("POST", "/v1/users",
                "{\"org\":\"acme\",\"id\":\"dee\",\"name\":\"Dee\",\"handle\":\"dee.d\"}");
        assertEquals(201, dee.status(), String.valueOf(dee.body()));
        long g = group("ana", "mentions", "ben", "dee");
        Response byHandle = send("ana", g, "{\"text\":\"ping @dee.d. and @nobody, mail x@dee.d\"}");
        assertEquals(List.of("dee"), strings(byHandle.body().path("mentions")));
        Response everyone = send("ben", g, "{\"text\":\"all of you: @channel\"}");
        assertEquals(List.of("ana", "dee"), strings(everyone.body().path("mentions")), "the sender is not mentioned");
        Response structured = send("ana", g, "{\"text\":\"fyi\",\"mentions\":[\"ben\",\"cy\"]}");
        assertEquals(List.of("ben"), strings(structured.body().path("mentions")), "only members can be mentioned");
        JsonNode mine = as("acme", "dee", "GET", "/v1/me/channels", null).body();
        JsonNode row = MessageServerIT.findChannel(mine.get("groups"), g);
        assertEquals(3, row.path("unread_count").asLong());
        assertEquals(2, row.path("mention_count").asLong());
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
