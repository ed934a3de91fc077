package dev.switchboard.loadgen.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UwsProtocolTest {
    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void tellsDeliveriesFromSubscribeReplies() {
        ByteBuf ok = text("{\"t\":\"ok\",\"ch\":\"ch-3\"}");
        ByteBuf pub = text("{\"t\":\"pub\",\"ch\":\"ch-3\",\"d\":\"sbts:1764547200123456 abc\"}");
        ByteBuf other = text("{\"x\":1}");
        try {
            assertEquals('o', UwsProtocol.type(ok));
            assertEquals('p', UwsProtocol.type(pub));
            assertEquals(0, UwsProtocol.type(other));
            assertEquals(1764547200123456L, Payloads.jsonTimestamp(new AsciiView(pub)));
        } finally {
            ok.release();
            pub.release();
            other.release();
        }
    }

    @Test
    void publishFrameCarriesItsIntendedTimeAndHasThePayloadSize() {
        byte[] t = UwsPublisher.template("ch-12", 100);
        String s = new String(t, StandardCharsets.US_ASCII);
        assertTrue(s.startsWith("{\"t\":\"pub\",\"ch\":\"ch-12\",\"d\":\"sbts:"), s);
        assertEquals(100, s.substring(s.indexOf("\"d\":\"") + 5, s.length() - 2).length(), "d is the payload size");
        ByteBuf buf = Unpooled.wrappedBuffer(t.clone());
        try {
            UwsPublisher.patch(buf, UwsPublisher.digitsAt(t, 100), 1764547200654321L);
            assertEquals(1764547200654321L, Payloads.jsonTimestamp(new AsciiView(buf)));
            assertEquals('p', UwsProtocol.type(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void aSmallPayloadStillHoldsTheTimestamp() {
        byte[] t = UwsPublisher.template("c", 8);
        ByteBuf buf = Unpooled.wrappedBuffer(t.clone());
        try {
            UwsPublisher.patch(buf, UwsPublisher.digitsAt(t, 8), 42L);
            assertEquals(42L, Payloads.jsonTimestamp(new AsciiView(buf)));
        } finally {
            buf.release();
        }
    }
}
