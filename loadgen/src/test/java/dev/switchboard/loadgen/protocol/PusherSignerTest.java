package dev.switchboard.loadgen.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PusherSignerTest {
    /** The worked example of Pusher's HTTP API reference ("Worked authentication example"). */
    @Test
    void signsTheWorkedExampleOfThePusherDocs() {
        String body = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}";
        PusherSigner signer = new PusherSigner("278d425bdf160c739803", "7ad3773142a6692b25b8");
        String q = signer.signedQuery("POST", "/apps/3/events", body, 1353088179);
        assertEquals("auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0"
                + "&body_md5=ec365a775a4cd0599faeb73354201b6f"
                + "&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c", q);
    }

    @Test
    void eventBodyCarriesTheTimestampAsAJsonString() {
        String body = PusherPublisher.body("ch-7", 1_733_000_000_000_001L, 64);
        assertTrue(body.startsWith("{\"name\":\"sb-bench\",\"channel\":\"ch-7\",\"data\":\"{\\\"sbts\\\":1733000000000001"), body);
        assertEquals(1_733_000_000_000_001L, Payloads.jsonTimestamp(body));
    }

    @Test
    void readsTheEventNameOfPusherFrames() {
        assertEquals("pusher:connection_established",
                PusherMessages.event("{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\"1.2\\\"}\"}"));
        assertEquals("pusher_internal:subscription_succeeded",
                PusherMessages.event("{\"event\": \"pusher_internal:subscription_succeeded\",\"channel\":\"ch-1\"}"));
        assertEquals(null, PusherMessages.event("{\"data\":1}"));
    }
}
