package dev.switchboard.message.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.message.ChatService;
import dev.switchboard.message.ChatServiceOptions;
import dev.switchboard.message.RecordingBroker;
import dev.switchboard.message.store.Database;
import dev.switchboard.message.store.DatabaseOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler in a pipeline it shares (as in dev mode, behind the edge's WebSocket upgrade handler). */
class ChatHttpHandlerTest {
    @TempDir
    Path dir;
    Database db;
    RecordingBroker broker;
    ChatService chat;
    ChatHttpHandler handler;

    @BeforeEach
    void setUp() {
        db = Database.open(DatabaseOptions.embedded(dir), new SimpleMeterRegistry());
        broker = new RecordingBroker();
        chat = new ChatService(db, broker.broker(), ChatServiceOptions.defaults(), new SimpleMeterRegistry());
        handler = new ChatHttpHandler(chat, new RequestAuthenticator(
                TokenVerifier.builder().hs256Secret("0123456789abcdef0123456789abcdef").build(),
                new ApiKeys(List.of("server-key-0123456789"))));
    }

    @AfterEach
    void tearDown() {
        chat.close();
        db.close();
        broker.close();
    }

    @Test
    void passesAlongRequestsItDoesNotOwn() {
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        FullHttpRequest ws = request(HttpMethod.GET, "/ws");
        ch.writeInbound(ws);
        FullHttpRequest passed = ch.readInbound();
        assertSame(ws, passed);
        assertEquals(1, passed.refCnt(), "not released by the handler");
        passed.release();
        ch.writeInbound("not http");
        assertEquals("not http", ch.readInbound());
        assertNull(ch.readOutbound());
        assertFalse(ch.finish());
        assertFalse(ChatHttpHandler.owns("/ws"));
        assertTrue(ChatHttpHandler.owns("/v1/channels/3/messages?limit=5"));
    }

    @Test
    void answersAnUnauthenticatedCallAndReleasesTheRequest() {
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        FullHttpRequest req = request(HttpMethod.GET, "/v1/me/channels");
        ch.writeInbound(req);
        assertEquals(0, req.refCnt());
        assertNull(ch.readInbound());
        FullHttpResponse r = ch.readOutbound();
        assertEquals(HttpResponseStatus.UNAUTHORIZED, r.status());
        assertTrue(r.content().toString(StandardCharsets.UTF_8).contains("\"UNAUTHORIZED\""));
        r.release();
        assertTrue(ch.config().isAutoRead(), "reading resumes once the response is written");
        assertFalse(ch.finish());
    }

    private static FullHttpRequest request(HttpMethod method, String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.buffer(0));
    }
}
