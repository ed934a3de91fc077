package dev.switchboard.edge.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.bridge.Interest;
import dev.switchboard.bridge.memory.MemoryBroker;
import dev.switchboard.edge.EdgeMetrics;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.session.SessionControl;
import dev.switchboard.http.HttpServerPipeline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Coverage-guided fuzzing of the server API's request bodies: its routes on the
 * shared HTTP layer ({@link ServerApiRoutes} in an {@code EmbeddedChannel}, raw
 * bytes in and out), with a valid API key, the node's real hub and an in-memory
 * broker. Input: one byte choosing the endpoint (and JSON or protobuf for
 * /v1/publish), then the body. Property: every request gets an answer, and it is
 * never a 5xx: malformed input is the client's error (400 or 413).
 * Seeds and regression inputs: {@code ServerApiFuzzTestInputs/answersEveryBodyWithoutServerError/}.
 */
class ServerApiFuzzTest {
    private static final String KEY = "fuzz-api-key-0123456789";
    private static final String[] POST_PATHS = {"/v1/publish", "/v1/publish", "/v1/user/publish", "/v1/broadcast",
            "/v1/subscribe", "/v1/unsubscribe", "/v1/disconnect", "/v1/drain"};
    private static final EdgeMetrics METRICS = new EdgeMetrics(new SimpleMeterRegistry());
    private static final EdgeServerOptions OPTIONS = EdgeServerOptions.builder().nodeId("fuzz-node").build();

    // The request fields, so that mutations reach past "unknown field" to the checks of each value.
    @DictionaryEntries({"\"channel\":\"acme/", "\"channels\":[", "\"data\":", "\"b64data\":", "\"org\":",
            "\"user_id\":", "\"code\":", "\"reason\":", "\"session_id\":", "\"reconnect_after_ms\":", "\"window_ms\":"})
    @FuzzTest(maxDuration = "5s")
    void answersEveryBodyWithoutServerError(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int endpoint = (input[0] & 0xFF) % POST_PATHS.length;
        EmbeddedChannel ch = new EmbeddedChannel();
        try (MemoryBroker broker = new MemoryBroker()) {
            Hub hub = new Hub(ch.eventLoop(), broker, new Interest(broker, ch.eventLoop(), Duration.ZERO),
                    ByteBufAllocator.DEFAULT, new SessionControl("fuzz-node"));
            ServerApiRoutes routes = new ServerApiRoutes(OPTIONS, new ApiKeys(List.of(KEY)), broker, hub,
                    dev.switchboard.edge.session.ChatBackend.NONE, METRICS, window -> 0);
            HttpServerPipeline.of(OPTIONS.apiHttp(), routes.router()).install(ch.pipeline());
            String head = "POST " + POST_PATHS[endpoint] + " HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + KEY
                    + "\r\nContent-Type: " + (endpoint == 1 ? ServerApiRoutes.PROTOBUF : "application/json")
                    + "\r\nContent-Length: " + (input.length - 1) + "\r\n\r\n";
            ch.writeInbound(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII)),
                    Unpooled.wrappedBuffer(input, 1, input.length - 1));
            ch.runPendingTasks();
            String answer = readAll(ch);
            assertTrue(answer.startsWith("HTTP/1.1 "), () -> "no answer to " + POST_PATHS[endpoint]);
            int status = Integer.parseInt(answer.substring(9, 12));
            assertTrue(status < 500, () -> POST_PATHS[endpoint] + " answered " + answer);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static String readAll(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        Object msg;
        while ((msg = ch.readOutbound()) != null) {
            if (msg instanceof ByteBuf b) {
                out.append(b.toString(StandardCharsets.UTF_8));
            }
            io.netty.util.ReferenceCountUtil.release(msg);
        }
        return out.toString();
    }
}
