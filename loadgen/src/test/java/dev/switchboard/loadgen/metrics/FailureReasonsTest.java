package dev.switchboard.loadgen.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class FailureReasonsTest {
    @Test
    void theSameCauseOnManyConnectionsReadsTheSame() {
        assertEquals("Connection refused", FailureReasons.of(new ConnectException("Connection refused: /127.0.0.1:8080")));
        assertEquals("Connection refused", FailureReasons.of(new ConnectException("Connection refused: localhost/127.0.0.1:9")));
        assertEquals("Connection reset by peer", FailureReasons.of(new IOException("recvAddress(..) failed: Connection reset by peer")));
        assertEquals("Connection refused", FailureReasons.of(new ConnectException("connect(..) failed with error(-111): Connection refused: /127.0.0.1:9")));
        assertEquals("TCP connect timed out", FailureReasons.of(new ConnectTimeoutException("connection timed out after 15000 ms: /10.0.0.1:80")));
        assertEquals("Connection reset by peer", FailureReasons.of(new DecoderException(new IOException("Connection reset by peer"))));
    }

    @Test
    void closesNameTheirCodeAndReason() {
        assertEquals("close 4001 slow consumer", FailureReasons.close("close", 4001, "slow consumer"));
        assertEquals("disconnect 4000", FailureReasons.close("disconnect", 4000, ""));
        assertEquals("HTTP 401 Unauthorized", FailureReasons.http(401, "Unauthorized"));
    }
}
