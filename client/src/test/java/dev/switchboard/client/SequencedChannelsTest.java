package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.wire.proto.Publication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequencedChannelsTest {
    final SequencedChannels seqs = new SequencedChannels();
    final List<Long> delivered = new ArrayList<>();

    boolean offer(String ch, long seq) {
        return seqs.offer(Publication.newBuilder().setChannel(ch).setSeq(seq).build(), p -> delivered.add(p.getSeq()));
    }

    @Test
    void deliversInOrderOnceAndHoldsBackAfterAGap() {
        seqs.track("c", 0);
        assertFalse(offer("c", 1));
        assertFalse(offer("c", 1), "a duplicate is dropped");
        assertTrue(offer("c", 4), "a gap opens");
        assertTrue(offer("c", 3));
        assertEquals(List.of(1L), delivered);
        assertFalse(offer("c", 2), "the gap closes");
        assertEquals(List.of(1L, 2L, 3L, 4L), delivered);
        assertEquals(4L, seqs.last("c"));
    }

    @Test
    void unsequencedPublicationsPassAndChannelsAreIndependent() {
        assertFalse(offer("eph", 0));
        assertFalse(offer("a", 10), "the first publication of an untracked channel starts its sequence");
        assertFalse(offer("b", 1));
        assertFalse(offer("a", 11));
        assertEquals(List.of(0L, 10L, 1L, 11L), delivered);
        assertEquals(java.util.Map.of("a", 11L, "b", 1L), seqs.positions());
    }

    @Test
    void backoffGrowsWithJitterUpToTheCapAndResets() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        for (int i = 0; i < 20; i++) {
            long d = b.nextDelayMs();
            assertTrue(d >= 0 && d <= Math.min(1000, 100L << Math.min(i, 30)), "attempt " + i + ": " + d);
        }
        b.reset();
        assertTrue(b.nextDelayMs() <= 100);
    }
}
