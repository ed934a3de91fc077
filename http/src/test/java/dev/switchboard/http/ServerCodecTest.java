package dev.switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link ServerCodec} decodes and encodes exactly what Netty's {@link HttpServerCodec} does, attacks
 * included (the same heads give the same requests, refusals, limits and closes), while the usual header
 * names come out as {@link HeaderNames}' constants.
 */
class ServerCodecTest {
    /** Netty's codec as the layer had it: the reference. */
    private static final HttpDecoderConfig NETTY = new HttpDecoderConfig()
            .setMaxInitialLineLength(256).setMaxHeaderSize(1024).setMaxChunkSize(8192);
    /** What {@link HttpServerPipeline} gives its codec: the same limits and its scratch size. */
    private static final HttpDecoderConfig CONFIG = HttpServerPipeline.decoderConfig(
            HttpServerOptions.builder().maxInitialLineBytes(256).maxHeaderBytes(1024).build());
    private static final String HANDSHAKE = "GET /ws?x=1 HTTP/1.1\r\n"
            + "Host: edge.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Origin: https://chat.example.com\r\n"
            + "User-Agent: Mozilla/5.0\r\n"
            + "Authorization: Bearer a.b.c\r\n"
            + "\r\n";

    /** Heads an attacker or a sloppy client sends, each answered by both codecs. */
    private static final Map<String, String> INPUTS = inputs();

    private static Map<String, String> inputs() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("a browser's handshake", HANDSHAKE);
        m.put("names in lower case", HANDSHAKE.toLowerCase(java.util.Locale.ROOT).replace("get /ws?x=1 http/1.1", "GET /ws HTTP/1.1"));
        m.put("names in other cases", "GET / HTTP/1.1\r\nHOST: a\r\nUPGRADE: websocket\r\nsec-WebSocket-key: k\r\n\r\n");
        m.put("whitespace before the colon", "GET / HTTP/1.1\r\nHost: a\r\nUpgrade : websocket\r\n\r\n");
        m.put("a tab before the colon", "GET / HTTP/1.1\r\nHost: a\r\nAuthorization\t: Bearer x\r\n\r\n");
        m.put("a bad character in a name", "GET / HTTP/1.1\r\nHost: a\r\nUp(grade: websocket\r\n\r\n");
        m.put("a name with no colon", "GET / HTTP/1.1\r\nHost: a\r\nUpgrade websocket\r\n\r\n");
        m.put("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: one\r\n two\r\n\r\n");
        m.put("a bare CR in a value", "GET / HTTP/1.1\r\nHost: a\r\nOrigin: https://a\rX-Evil: 1\r\n\r\n");
        m.put("a NUL in a value", "GET / HTTP/1.1\r\nHost: a\r\nOrigin: a\0b\r\n\r\n");
        m.put("LF only", "GET / HTTP/1.1\nHost: a\nUpgrade: websocket\n\n");
        m.put("Transfer-Encoding and Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        m.put("two different Content-Lengths", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde");
        m.put("a Content-Length that is no number", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4x\r\n\r\nabcd");
        m.put("an unknown Transfer-Encoding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
        m.put("a bad version", "GET / HTTP/1.2x\r\nHost: a\r\n\r\n");
        m.put("a request line too long", "GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: a\r\n\r\n");
        m.put("headers too large", "GET / HTTP/1.1\r\nHost: a\r\nCookie: " + "c".repeat(1100) + "\r\n\r\n");
        m.put("many headers", "GET / HTTP/1.1\r\n" + "Pragma: x\r\n".repeat(200) + "\r\n");
        m.put("pipelined", HANDSHAKE + "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\nHEAD / HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /x HTTP/1.1\r\nContent-Length: 3\r\nContent-Type: text/plain\r\n\r\nabc");
        m.put("past the pipeline depth", "GET / HTTP/1.1\r\nHost: a\r\n\r\n".repeat(ServerCodec.MAX_PIPELINE_DEPTH + 3));
        m.put("garbage", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003 not http\r\n\r\n");
        return m;
    }

    @Test
    void decodesWhatNettysCodecDecodes() {
        for (Map.Entry<String, String> e : INPUTS.entrySet()) {
            byte[] bytes = e.getValue().getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(decode(() -> new HttpServerCodec(NETTY), bytes, bytes.length), decode(() -> new ServerCodec(CONFIG), bytes, bytes.length),
                    e.getKey());
        }
    }

    @Test
    void decodesHeadsSentByteByByteAsNettysCodecDoes() {
        for (Map.Entry<String, String> e : INPUTS.entrySet()) {
            byte[] bytes = e.getValue().getBytes(StandardCharsets.ISO_8859_1);
            if (bytes.length > 2000) {
                continue;
            }
            assertEquals(decode(() -> new HttpServerCodec(NETTY), bytes, 1), decode(() -> new ServerCodec(CONFIG), bytes, 1),
                    e.getKey() + ", a byte per read");
            assertEquals(decode(() -> new HttpServerCodec(NETTY), bytes, 7), decode(() -> new ServerCodec(CONFIG), bytes, 7),
                    e.getKey() + ", 7 bytes per read");
        }
    }

    @Test
    void theUsualNamesAreConstantsSpelledAsSent() {
        EmbeddedChannel ch = new EmbeddedChannel(new ServerCodec(CONFIG));
        ch.writeInbound(Unpooled.copiedBuffer(HANDSHAKE, StandardCharsets.US_ASCII));
        HttpRequest req = ch.readInbound();
        List<String> sent = new ArrayList<>();
        req.headers().iteratorCharSequence().forEachRemaining(h -> {
            sent.add(h.getKey().toString());
            assertSame(HeaderNames.find(bytes(h.getKey()), 0, h.getKey().length()), h.getKey(), h.getKey() + " is the constant");
        });
        assertEquals(List.of("Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Origin",
                "User-Agent", "Authorization"), sent);
        assertEquals("websocket", req.headers().get(HttpHeaderNames.UPGRADE));
        assertEquals("Bearer a.b.c", req.headers().get("authorization"));
        ReferenceCountUtil.release(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void otherSpellingsAndNamesAreNotConstants() {
        assertNull(HeaderNames.find(bytes("UPGRADE"), 0, 7));
        assertNull(HeaderNames.find(bytes("X-Upgrade"), 0, 9));
        assertNull(HeaderNames.find(bytes("Upgrad"), 0, 6));
        assertNull(HeaderNames.find(bytes("x".repeat(100)), 0, 100));
        AsciiString upgrade = HeaderNames.find(bytes("..upgrade.."), 2, 7);
        assertEquals("upgrade", upgrade.toString());
        assertEquals("Sec-WebSocket-Key", HeaderNames.find(bytes("Sec-WebSocket-Key"), 0, 17).toString());
    }

    @Test
    void encodesAnswersAsNettysCodecDoes() {
        String requests = "HEAD /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n"
                + "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n";
        assertEquals(answer(() -> new HttpServerCodec(NETTY), requests), answer(() -> new ServerCodec(CONFIG), requests));
    }

    @Test
    void headsThatCouldSmuggleARequestAreRefused() {
        for (String name : List.of("whitespace before the colon", "a tab before the colon", "a bad character in a name",
                "a name with no colon", "a bare CR in a value", "a NUL in a value", "Transfer-Encoding and Content-Length",
                "two different Content-Lengths", "a Content-Length that is no number", "a request line too long",
                "headers too large", "garbage")) {
            byte[] bytes = INPUTS.get(name).getBytes(StandardCharsets.ISO_8859_1);
            String decoded = decode(() -> new ServerCodec(CONFIG), bytes, bytes.length);
            assertTrue(decoded.lines().findFirst().orElseThrow().contains(" failed "), name + ": " + decoded);
        }
    }

    /** The three answers (each with a body), as bytes, and whether the connection is still open. */
    private static String answer(Supplier<ChannelHandler> codec, String requests) {
        EmbeddedChannel ch = new EmbeddedChannel(codec.get());
        ch.writeInbound(Unpooled.copiedBuffer(requests, StandardCharsets.US_ASCII));
        Object in;
        while ((in = ch.readInbound()) != null) {
            ReferenceCountUtil.release(in);
        }
        StringBuilder out = new StringBuilder();
        int n = (int) requests.lines().filter(l -> l.contains(" HTTP/1.1")).count();
        for (int i = 0; i < n && ch.isOpen(); i++) {
            DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 5).set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
            ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
            ch.writeOutbound(r);
            ByteBuf b;
            while ((b = ch.readOutbound()) != null) {
                out.append(b.toString(StandardCharsets.US_ASCII)).append('|');
                b.release();
            }
        }
        out.append("open=").append(ch.isOpen());
        ch.finishAndReleaseAll();
        return out.toString();
    }

    /** What the codec hands up for {@code bytes} read {@code step} bytes at a time, as text, and whether it closed. */
    private static String decode(Supplier<ChannelHandler> codec, byte[] bytes, int step) {
        EmbeddedChannel ch = new EmbeddedChannel(codec.get());
        StringBuilder out = new StringBuilder();
        try {
            for (int i = 0; i < bytes.length && ch.isOpen(); i += step) {
                ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(step, bytes.length - i)));
            }
        } catch (RuntimeException e) {
            out.append("thrown ").append(e.getClass().getSimpleName()).append(' ').append(e.getMessage()).append('\n');
        }
        Object o;
        while ((o = ch.readInbound()) != null) {
            try {
                out.append(describe((HttpObject) o)).append('\n');
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
        out.append("open=").append(ch.isOpen());
        ch.finishAndReleaseAll();
        return out.toString();
    }

    private static String describe(HttpObject o) {
        StringBuilder s = new StringBuilder(o.getClass().getSimpleName()).append(' ');
        if (o.decoderResult().isFailure()) {
            Throwable c = o.decoderResult().cause();
            s.append("failed ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(' ');
        }
        if (o instanceof HttpRequest r) {
            s.append(r.method()).append(' ').append(r.uri()).append(' ').append(r.protocolVersion()).append(' ');
            r.headers().iteratorCharSequence().forEachRemaining(h -> s.append('[').append(h.getKey()).append(": ")
                    .append(h.getValue()).append(']'));
        }
        if (o instanceof HttpContent c) {
            s.append(" content=").append(c.content().toString(StandardCharsets.ISO_8859_1));
            if (o instanceof LastHttpContent last) {
                last.trailingHeaders().iteratorCharSequence().forEachRemaining(h -> s.append(" trailer ").append(h));
            }
        }
        return s.toString();
    }

    private static byte[] bytes(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
