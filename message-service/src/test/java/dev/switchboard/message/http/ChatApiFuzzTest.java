package dev.switchboard.message.http;

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
import dev.switchboard.http.HttpServer;
import dev.switchboard.http.HttpServerPipeline;
import dev.switchboard.message.MessageServerOptions;
import dev.switchboard.testing.RawHttp;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzzing of the REST API's request bodies: {@link ChatApi}'s
 * routes on the shared HTTP layer (a loopback port, one keep-alive connection)
 * over a real {@link ChatService} on H2, as a server
 * call acting for {@code acme/alice}, a member of group channel {@link #channel}.
 * Input: one byte choosing the endpoint, then the body. Property: every request is
 * answered with a 2xx or 4xx; a 5xx means input reached the database or the JSON
 * layer unchecked.
 * Seeds and regression inputs: {@code ChatApiFuzzTestInputs/answersEveryBodyWithoutServerError/}.
 */
class ChatApiFuzzTest {
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
    private static EventLoopGroup group;
    private static HttpServer server;
    private static RawHttp client;
    private static long channel;

    private record Endpoint(HttpMethod method, String path) {
    }

    @BeforeAll
    static void startService() throws InterruptedException {
        db = Database.open(DatabaseOptions.embedded(dir), new SimpleMeterRegistry());
        broker = new RecordingBroker();
        chat = new ChatService(db, broker.broker(), ChatServiceOptions.defaults(), new SimpleMeterRegistry());
        ChatApi api = new ChatApi(chat, null, new RequestAuthenticator(
                TokenVerifier.builder().hs256Secret("0123456789abcdef0123456789abcdef").build(), new ApiKeys(List.of(KEY))),
                MessageServerOptions.DEFAULT_MAX_JSON_BYTES);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = HttpServer.start(group, NioServerSocketChannel.class, "127.0.0.1", 0,
                HttpServerPipeline.of(MessageServerOptions.DEFAULT_HTTP, api.router()).mapErrors(ChatApi.errors()));
        chat.createUser(new NewUser("acme", "alice", "Alice", null, null)).join();
        chat.createUser(new NewUser("acme", "bob", "Bob", null, null)).join();
        ChannelDetails group = chat.createGroup(new UserRef("acme", "alice"), "general", List.of("bob")).join();
        channel = group.channel().id();
    }

    @AfterAll
    static void stopService() {
        if (client != null) {
            client.close();
        }
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
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
        byte[] body = java.util.Arrays.copyOfRange(input, 1, input.length);
        String head = endpoint.method() + " " + uri + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + RequestAuthenticator.API_KEY + ": " + KEY + "\r\n" + RequestAuthenticator.ACT_AS_USER + ": alice\r\n"
                + RequestAuthenticator.ACT_AS_ORG + ": acme\r\nContent-Length: " + body.length + "\r\n\r\n";
        if (client == null) {
            client = RawHttp.connect(server.port());
        }
        RawHttp.Response answer = null;
        try {
            client.send(head).send(body);
            answer = client.read();
        } finally {
            if (answer == null || "close".equalsIgnoreCase(answer.header("connection"))) {
                client.close();
                client = null;
            }
        }
        RawHttp.Response res = answer;
        int status = res.status();
        assertTrue(status >= 200 && status < 500, () -> endpoint + " answered " + status + ": " + res.text());
    }
}
