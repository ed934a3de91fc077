package dev.switchboard.edge.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.switchboard.wire.DisconnectCode;
import org.junit.jupiter.api.Test;

/** Regression tests for what SessionInboundFuzzTest found in the session's handling of client close frames. */
class SessionCloseFrameTest {

    @Test
    void answersAForbiddenCloseCodeWithAProtocolError() {
        // Input crash-close-code-33664-echoed: the session echoed any code, also ones RFC 6455 §7.4 forbids.
        for (int forbidden : new int[] {0, 999, 1004, 1005, 1006, 1015, 2999, 5000, 33664, 65535}) {
            try (SessionHarness session = new SessionHarness()) {
                byte[] close = masked(0x8, new byte[] {(byte) (forbidden >> 8), (byte) forbidden});
                session.read(close, 0, close.length);
                assertFalse(session.ch.isOpen());
                ServerOutput out = session.finish();
                assertEquals(DisconnectCode.PROTOCOL_ERROR.code(), out.closeCode, "close code " + forbidden);
                assertEquals(DisconnectCode.PROTOCOL_ERROR.code(), out.frames.getFirst().getDisconnect().getCode());
            }
        }
    }

    @Test
    void refusesACloseBodyOfOneByte() {
        try (SessionHarness session = new SessionHarness()) {
            byte[] close = masked(0x8, new byte[] {3});
            session.read(close, 0, close.length);
            assertEquals(DisconnectCode.PROTOCOL_ERROR.code(), session.finish().closeCode);
        }
    }

    @Test
    void echoesAValidCloseCode() {
        for (int valid : new int[] {1000, 1001, 1011, 3000, 4010, 4999}) {
            try (SessionHarness session = new SessionHarness()) {
                byte[] close = masked(0x8, new byte[] {(byte) (valid >> 8), (byte) valid});
                session.read(close, 0, close.length);
                assertFalse(session.ch.isOpen());
                ServerOutput out = session.finish();
                assertEquals(valid, out.closeCode);
                assertEquals(0, out.frames.size(), "an echoed close sends no Disconnect push");
            }
        }
    }

    @Test
    void answersACloseWithoutCodeWithNormalClosure() {
        try (SessionHarness session = new SessionHarness()) {
            byte[] close = masked(0x8, new byte[0]);
            session.read(close, 0, close.length);
            assertEquals(1000, session.finish().closeCode);
        }
    }

    /** One final client frame, masked with a fixed key (RFC 6455 §5.3). */
    static byte[] masked(int opcode, byte[] payload) {
        byte[] key = {0x11, 0x22, 0x33, 0x44};
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(key, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ key[i % 4]);
        }
        return frame;
    }
}
