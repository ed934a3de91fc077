package dev.switchboard.edge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebSocketUpgradeTest {
    /** RFC 6455 §1.3's example key and answer. */
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    @Test
    void answersTheRfcExample() {
        assertEquals(ACCEPT, WebSocketUpgrade.accept(KEY));
    }

    @Test
    void aReusedEncoderAnswersEachKeyAsAFreshOne() {
        SwitchingProtocols reused = new SwitchingProtocols();
        assertEquals(ACCEPT, reused.accept(KEY));
        assertEquals(WebSocketUpgrade.accept("x3JJHMbDL1EzLkh9GBhXDw=="), reused.accept("x3JJHMbDL1EzLkh9GBhXDw=="));
        assertEquals(ACCEPT, reused.accept(" " + KEY + "\t"));
    }

    /** The bytes Netty's encoder wrote for the DefaultFullHttpResponse the encoder replaced. */
    @Test
    void encodesThe101AsNettyDid() {
        DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS,
                Unpooled.EMPTY_BUFFER);
        res.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                .set(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, ACCEPT);
        EmbeddedChannel netty = new EmbeddedChannel(new HttpResponseEncoder());
        netty.writeOutbound(res);
        ByteBuf expected = Unpooled.buffer();
        for (ByteBuf part; (part = netty.readOutbound()) != null; part.release()) {
            expected.writeBytes(part);
        }
        SwitchingProtocols encoder = new SwitchingProtocols();
        for (int i = 0; i < 2; i++) {
            ByteBuf ours = encoder.response(UnpooledByteBufAllocator.DEFAULT, KEY);
            assertEquals(expected.toString(StandardCharsets.US_ASCII), ours.toString(StandardCharsets.US_ASCII));
            ours.release();
        }
        expected.release();
        assertFalse(netty.finish());
    }
}
