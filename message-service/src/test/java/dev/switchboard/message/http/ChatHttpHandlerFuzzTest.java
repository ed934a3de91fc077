package dev.switchboard.message.http;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.message.ChannelDetails;
import dev.switchboard.message.ChatService;
import dev.switchboard.message.ChatServiceOptions;
import dev.switchboard.message.NewUser;
import dev.switchboard.message.RecordingBroker;
import dev.switchboard.message.UserRef;
import dev.switchboard.message.store.Database;
import dev.switchboard.message.store.DatabaseOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzzing of the REST API's request bodies: {@link ChatHttpHandler}
 * on an {@code EmbeddedChannel} over a real {@link ChatService} on H2, as a server
 * call acting for {@code acme/alice}, a member of group channel {@link #channel}.
 * Input: one byte choosing the endpoint, then the body. Property: every request is
 * answered with a 2xx or 4xx; a 5xx means input reached the database or the JSON
 * layer unchecked.
 * Seeds and regression inputs: {@code ChatHttpHandlerFuzzTestInputs/answersEveryBodyWithoutServerError/}.
 */
class ChatHttpHandlerFuzzTest {
    private static final String KEY = "fuzz-api-key-0123456789";
    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint(HttpMethod.POST, "/v1/users"),
            new Endpoint(HttpMethod.POST, "/v1/channels"),
            new Endpoint(HttpMethod.POST, "/v1/dms"),
            new Endpoint(HttpMethod.POST, "/v1/channels/%d/members"),
            new Endpoint(HttpMethod.PATCH, "/v1/channels/%d/membership"),
            new Endpoint(HttpMethod.POST, "/v1/channels/%d/messages"),
            new Endpoint(HttpMethod.PUT, "/v1/channels/%d/read"),
            new Endpoint(HttpMethod.POST, "/v1/me/devices"));

    @TempDir
    static Path dir;
    private static Database db;
    private static RecordingBroker broker;
    private static ChatService chat;
    private static ChatHttpHandler handler;
    private static long channel;

    private record Endpoint(HttpMethod method, String path) {
    }

    @BeforeAll
    static void startService() {
        db = Database.open(DatabaseOptions.embedded(dir), new SimpleMeterRegistry());
        broker = new RecordingBroker();
        chat = new ChatService(db, broker.broker(), ChatServiceOptions.defaults(), new SimpleMeterRegistry());
        handler = new ChatHttpHandler(chat, new RequestAuthenticator(
                TokenVerifier.builder().hs256Secret("0123456789abcdef0123456789abcdef").build(), new ApiKeys(List.of(KEY))));
        chat.createUser(new NewUser("acme", "alice", "Alice", null, null)).join();
        chat.createUser(new NewUser("acme", "bob", "Bob", null, null)).join();
        ChannelDetails group = chat.createGroup(new UserRef("acme", "alice"), "general", List.of("bob")).join();
        channel = group.channel().id();
    }

    @AfterAll
    static void stopService() {
        chat.close();
        db.close();
        broker.close();
    }

    // The request fields, so that mutations reach past "unknown field" to the checks of each value.
    @DictionaryEntries({"\"org\":", "\"id\":", "\"name\":", "\"email\":", "\"handle\":", "\"type\":\"GROUP\"",
            "\"members\":[", "\"user_id\":", "\"muted\":", "\"notify_always\":", "\"starred\":", "\"text\":",
            "\"client_msg_id\":", "\"attachments\":[{", "\"seq\":", "\"platform\":\"apns\"", "\"token\":"})
    @FuzzTest(maxDuration = "10s")
    void answersEveryBodyWithoutServerError(byte[] input) throws InterruptedException {
        if (input.length == 0) {
            return;
        }
        Endpoint endpoint = ENDPOINTS.get((input[0] & 0xFF) % ENDPOINTS.size());
        String uri = endpoint.path().formatted(channel);
        ResponseCapture responses = new ResponseCapture();
        EmbeddedChannel ch = new EmbeddedChannel(responses, handler);
        try {
            FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, endpoint.method(), uri,
                    Unpooled.wrappedBuffer(input, 1, input.length - 1));
            req.headers().set(RequestAuthenticator.API_KEY, KEY);
            req.headers().set(RequestAuthenticator.ACT_AS_USER, "alice");
            req.headers().set(RequestAuthenticator.ACT_AS_ORG, "acme");
            ch.writeInbound(req);
            FullHttpResponse res = responses.poll(10, TimeUnit.SECONDS);
            assertNotNull(res, "no answer to " + endpoint);
            try {
                int status = res.status().code();
                assertTrue(status >= 200 && status < 500, () -> endpoint + " answered " + res.status() + ": "
                        + res.content().toString(StandardCharsets.UTF_8));
            } finally {
                res.release();
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
