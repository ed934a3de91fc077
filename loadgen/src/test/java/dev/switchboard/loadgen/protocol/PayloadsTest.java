package dev.switchboard.loadgen.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.switchboard.wire.proto.ClientFrame;
import com.google.protobuf.CodedInputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PayloadsTest {
    @Test
    void binaryPayloadCarriesTheTimestampInItsFirstEightBytes() {
        byte[] p = Payloads.binary(100);
        ByteBuffer.wrap(p).putLong(0, 1_733_000_000_123_456L);
        assertEquals(1_733_000_000_123_456L, Payloads.binaryTimestamp(ByteString.copyFrom(p)));
        assertEquals(-1, Payloads.binaryTimestamp(ByteString.copyFrom(new byte[7])));
    }

    @Test
    void jsonTimestampIsFoundPlainAndEscaped() {
        String json = Payloads.json(1_733_000_000_123_456L, 100);
        assertEquals(100, json.length());
        assertEquals(1_733_000_000_123_456L, Payloads.jsonTimestamp(json));
        String pusherDelivery = "{\"event\":\"sb-bench\",\"channel\":\"ch-1\",\"data\":\"" + json.replace("\"", "\\\"") + "\"}";
        assertEquals(1_733_000_000_123_456L, Payloads.jsonTimestamp(pusherDelivery));
        assertEquals(-1, Payloads.jsonTimestamp("{\"sbtsx\":1}"));
        assertEquals(-1, Payloads.jsonTimestamp("{}"));
    }

    @Test
    void publishTemplateEndsWithThePayloadSoTheTimestampCanBePatchedInPlace() throws Exception {
        byte[] t = SwitchboardPublisher.template("bench/ch-3", 64);
        byte[] patched = t.clone();
        ByteBuffer.wrap(patched).putLong(t.length - 64, 42L);
        CodedInputStream in = CodedInputStream.newInstance(patched);
        int len = in.readRawVarint32();
        assertEquals(patched.length - in.getTotalBytesRead(), len);
        ClientFrame f = ClientFrame.parseFrom(Arrays.copyOfRange(patched, in.getTotalBytesRead(), patched.length));
        assertEquals("bench/ch-3", f.getPublish().getChannel());
        assertEquals(0, f.getId());
        assertEquals(42L, Payloads.binaryTimestamp(f.getPublish().getPayload()));
        assertArrayEquals(Arrays.copyOfRange(Payloads.binary(64), 8, 64), f.getPublish().getPayload().substring(8).toByteArray());
    }

    @Test
    void timestampReadsChatJsonAndBinaryPayloadsAlike() {
        long micros = 1_795_285_121_123_456L;
        com.google.protobuf.ByteString chat = com.google.protobuf.ByteString.copyFromUtf8(
                "{\"id\":7,\"seq\":3,\"text\":\"\\\"sbts\\\":" + micros + " the build is green\",\"sender\":\"u1\"}");
        org.junit.jupiter.api.Assertions.assertEquals(micros, Payloads.timestamp(chat));
        byte[] binary = Payloads.binary(64);
        for (int i = 0; i < 8; i++) {
            binary[i] = (byte) (micros >>> (56 - 8 * i));
        }
        org.junit.jupiter.api.Assertions.assertEquals(micros, Payloads.timestamp(com.google.protobuf.ByteString.copyFrom(binary)));
    }
}
