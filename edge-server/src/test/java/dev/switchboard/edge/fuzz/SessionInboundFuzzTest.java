package dev.switchboard.edge.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.proto.ServerFrame;

/**
 * Coverage-guided fuzzing of everything a client's bytes reach after the WebSocket
 * upgrade: frame parsing, fragmentation, control frames, the frame codec and
 * every command of the dispatcher, on a session in an {@code EmbeddedChannel}.
 *
 * <p>Input: one byte giving the size of each socket read (0: all in one read),
 * then the raw bytes a client sends. Properties, for every input:
 * <ul>
 *   <li>no exception reaches the end of the pipeline;</li>
 *   <li>every buffer the session allocated or was given is released (checked per
 *       input with a tracking allocator, and by paranoid leak detection);</li>
 *   <li>everything the server wrote is well-formed frames its clients can decode;</li>
 *   <li>the channel stays open with no close frame sent, or is closed after exactly one
 *       close frame with a documented code: a {@link DisconnectCode}, or a client's
 *       valid close code echoed (RFC 6455 section 7.4); a Disconnect push carries the
 *       same code as the close frame.</li>
 * </ul>
 * Seeds and regression inputs: {@code SessionInboundFuzzTestInputs/handlesAnyClientBytes/}.
 */
class SessionInboundFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void handlesAnyClientBytes(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int chunk = input[0] & 0xFF;
        try (SessionHarness session = new SessionHarness()) {
            for (int from = 1; from < input.length && session.ch.isOpen(); ) {
                int to = chunk == 0 ? input.length : Math.min(input.length, from + chunk);
                session.read(input, from, to);
                from = to;
            }
            boolean closedBySession = !session.ch.isOpen();
            session.ch.checkException();
            ServerOutput out = session.finish();
            if (closedBySession) {
                assertEquals(1, out.closeFrames, "a session closes with one close frame");
                assertTrue(documented(out.closeCode), "undocumented close code " + out.closeCode);
                for (ServerFrame f : out.frames) {
                    if (f.hasDisconnect()) {
                        assertEquals(out.closeCode, f.getDisconnect().getCode(), "the Disconnect push names the close code");
                    }
                }
            } else {
                assertEquals(0, out.closeFrames, "a close frame is followed by the close");
            }
            assertEquals(java.util.List.of(), session.alloc.unreleased(), "buffers left unreleased");
        }
    }

    static boolean documented(int code) {
        return DisconnectCode.of(code) != null
                || code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }
}
