package dev.switchboard.edge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
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
    void aReusedDigestAnswersEachKeyAsAFreshOne() throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        assertEquals(ACCEPT, WebSocketUpgrade.accept(sha1, KEY));
        assertEquals(WebSocketUpgrade.accept("x3JJHMbDL1EzLkh9GBhXDw=="), WebSocketUpgrade.accept(sha1, "x3JJHMbDL1EzLkh9GBhXDw=="));
        assertEquals(ACCEPT, WebSocketUpgrade.accept(sha1, " " + KEY + "\t"));
    }
}
