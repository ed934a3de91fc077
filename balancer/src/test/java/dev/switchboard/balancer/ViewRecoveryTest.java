package dev.switchboard.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewRecoveryTest {
    static final NodeInfo A = node("a");
    static final NodeInfo B = node("b");
    static final NodeInfo C = node("c");
    static final long S = 1_000_000_000L;

    @Test
    void withoutAnOutageEveryReadIsTheView() {
        ViewRecovery r = new ViewRecovery(Duration.ofSeconds(3));
        assertEquals(List.of(A, B), r.view(List.of(A, B), 0));
        assertEquals(List.of(A), r.view(List.of(A), S), "a node that left is gone at once");
        assertFalse(r.recovering());
    }

    @Test
    void afterAnOutageTheLastGoodViewFillsInUntilTheReadIsComplete() {
        ViewRecovery r = new ViewRecovery(Duration.ofSeconds(3));
        r.view(List.of(A, B, C), 0);
        r.lost();
        assertTrue(r.recovering());
        assertEquals(List.of(A, B, C), r.view(List.of(), S), "an empty Redis after a restart");
        NodeInfo newerB = new NodeInfo("b", "ws://b.test/ws", 7, 100, true, 9);
        assertEquals(List.of(A, newerB, C), r.view(List.of(newerB), 2 * S), "fresh records win");
        assertEquals(List.of(A, B, C), r.view(List.of(A, B, C), 3 * S));
        assertFalse(r.recovering(), "complete: done");
    }

    @Test
    void aNodeThatDoesNotComeBackWithinTheGraceIsDropped() {
        ViewRecovery r = new ViewRecovery(Duration.ofSeconds(3));
        r.view(List.of(A, B), 0);
        r.lost();
        assertEquals(List.of(A, B), r.view(List.of(A), 10 * S));
        assertEquals(List.of(A, B), r.view(List.of(A), 12 * S));
        assertEquals(List.of(A), r.view(List.of(A), 13 * S));
        assertFalse(r.recovering());
    }

    static NodeInfo node(String id) {
        return new NodeInfo(id, "ws://" + id + ".test/ws", 0, 100, false, 1);
    }
}
