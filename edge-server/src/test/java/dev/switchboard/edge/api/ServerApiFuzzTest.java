package dev.switchboard.edge.api;

import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Coverage-guided fuzzing of the server API's request bodies: {@link ServerApiHandler}
 * on an {@code EmbeddedChannel}, with a valid API key, the node's real hub and an
 * in-memory broker. Input: one byte choosing the endpoint (and JSON or protobuf for
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
            ch.pipeline().addLast(new ServerApiHandler(OPTIONS, new ApiKeys(List.of(KEY)), broker, hub,
                    dev.switchboard.edge.session.ChatBackend.NONE, METRICS, window -> 0));
            FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, POST_PATHS[endpoint],
                    Unpooled.wrappedBuffer(input, 1, input.length - 1));
            req.headers().set("X-Api-Key", KEY);
            req.headers().set(HttpHeaderNames.CONTENT_TYPE, endpoint == 1 ? ServerApiHandler.PROTOBUF : "application/json");
            ch.writeInbound(req);
            ch.runPendingTasks();
            FullHttpResponse res = ch.readOutbound();
            assertNotNull(res, "no answer to " + POST_PATHS[endpoint]);
            try {
                assertTrue(res.status().code() < 500, () -> POST_PATHS[endpoint] + " answered " + res.status() + ": "
                        + res.content().toString(StandardCharsets.UTF_8));
            } finally {
                res.release();
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
