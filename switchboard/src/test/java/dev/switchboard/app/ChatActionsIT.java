package dev.switchboard.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.client.ChatActions;
import dev.switchboard.client.ClientResources;
import dev.switchboard.client.Endpoint;
import dev.switchboard.client.HistoryPage;
import dev.switchboard.client.PublishResult;
import dev.switchboard.client.Publication;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.client.TokenProvider;
import dev.switchboard.wire.ErrorCode;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's {@link ChatActions} over real sockets, on both paths an edge reaches the
 * message-service by: a fleet edge over its REST API (Redis, PostgreSQL) and dev mode
 * in one JVM. Thread pages and the log after a sequence are the WebSocket
 * {@code history} command (with {@code thread_id} for a thread).
 */
class ChatActionsIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aMessagesWholeLifeThroughTheSdkOnAFleetEdge() throws Exception {
        try (Fleet fleet = new Fleet(1)) {
            run(fleet, fleet.edges.get(0).port());
        }
    }

    @Test
    void aMessagesWholeLifeThroughTheSdkInDevMode(@TempDir Path dir) throws Exception {
        try (DevChat dev = new DevChat(dir)) {
            run(dev, dev.system.edge().port());
        }
    }

    private static void run(ChatSystem system, int port) throws Exception {
        system.createUser("acme", "ana");
        system.createUser("acme", "ben");
        Fleet.Rest created = system.rest("POST", "/v1/channels", system.token("ana", "acme"),
                "{\"name\":\"life\",\"type\":\"GROUP\",\"members\":[\"ben\"]}");
        assertEquals(201, created.status(), created.toString());
        String channel = "acme/chat/" + created.body().path("id").asLong();
        URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
        try (ClientResources resources = new ClientResources(1);
             SwitchboardClient ana = client(ws, system, "ana", resources);
             SwitchboardClient ben = client(ws, system, "ben", resources)) {
            ana.connect().get(30, TimeUnit.SECONDS);
            ben.connect().get(30, TimeUnit.SECONDS);
            ChatActions anas = new ChatActions(ana);
            ChatActions bens = new ChatActions(ben);

            PublishResult root = ana.sendMessage(channel, "root").get(30, TimeUnit.SECONDS);
            PublishResult r1 = bens.reply(channel, root.messageId(), "first reply", false).get(30, TimeUnit.SECONDS);
            PublishResult r2 = bens.reply(channel, root.messageId(), "second reply", true).get(30, TimeUnit.SECONDS);
            PublishResult edit = anas.edit(channel, root.messageId(), "root, edited").get(30, TimeUnit.SECONDS);
            PublishResult added = bens.react(channel, root.messageId(), ":+1:").get(30, TimeUnit.SECONDS);
            PublishResult again = bens.react(channel, root.messageId(), ":+1:").get(30, TimeUnit.SECONDS);
            PublishResult removed = bens.unreact(channel, root.messageId(), ":+1:").get(30, TimeUnit.SECONDS);
            PublishResult deleted = bens.delete(channel, r1.messageId()).get(30, TimeUnit.SECONDS);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), List.of(root.seq(), r1.seq(), r2.seq(), edit.seq(),
                    added.seq(), removed.seq(), deleted.seq()), "every change takes the channel's next sequence");
            assertEquals(root.seq(), again.seq(), "a reaction already there changes nothing: the message's own sequence");

            // The thread, page by page over the WebSocket: the replies in their current state.
            HistoryPage first = anas.threadPage(channel, root.messageId(), 0, 1).get(30, TimeUnit.SECONDS);
            assertEquals(1, first.publications().size());
            assertTrue(first.nextCursor() != 0, "more replies follow");
            JsonNode one = payload(first.publications().getFirst());
            assertEquals(r1.messageId(), one.path("id").asLong());
            assertEquals("", one.path("text").asText(), "deleted since: a tombstone");
            assertTrue(one.hasNonNull("deleted_at"));
            HistoryPage second = anas.threadPage(channel, root.messageId(), first.nextCursor(), 10).get(30, TimeUnit.SECONDS);
            assertEquals(List.of(r2.messageId()), second.publications().stream().map(Publication::messageId).toList());
            assertEquals(0, second.nextCursor());
            assertEquals("second reply", payload(second.publications().getFirst()).path("text").asText());

            // The log after the edit's sequence: the changes, each with its entry's sequence and the current state.
            HistoryPage log = anas.eventsAfter(channel, r2.seq(), 50).get(30, TimeUnit.SECONDS);
            assertEquals(List.of(4L, 5L, 6L, 7L), log.publications().stream().map(Publication::seq).toList());
            List<String> kinds = log.publications().stream().map(p -> payload(p).path("event").path("kind").asText()).toList();
            assertEquals(List.of("edit", "reaction_added", "reaction_removed", "delete"), kinds);
            JsonNode edited = payload(log.publications().getFirst());
            assertEquals("root, edited", edited.path("text").asText());
            assertEquals(2, edited.path("thread").path("reply_count").asInt(), "current state: both replies");

            // Only the author edits.
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> bens.edit(channel, root.messageId(), "not mine").get(30, TimeUnit.SECONDS));
            assertEquals(ErrorCode.PERMISSION_DENIED, assertInstanceOf(SwitchboardException.class, refused.getCause()).code());
            ExecutionException unknown = assertThrows(ExecutionException.class,
                    () -> anas.threadPage(channel, 987654, 0, 10).get(30, TimeUnit.SECONDS));
            assertEquals(ErrorCode.NOT_FOUND, assertInstanceOf(SwitchboardException.class, unknown.getCause()).code());
        }
    }

    private static SwitchboardClient client(URI ws, ChatSystem system, String user, ClientResources resources) {
        return SwitchboardClient.builder(Endpoint.fixed(ws), TokenProvider.supplying(() -> system.token(user, "acme")),
                resources).build();
    }

    private static JsonNode payload(Publication p) {
        try {
            return JSON.readTree(p.payload());
        } catch (java.io.IOException e) {
            throw new CompletionException(e);
        }
    }
}
