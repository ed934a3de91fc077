package dev.switchboard.edge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
    @Test
    void eachLimitRefusesOverItAndARefusalGivesBackWhatItTook() {
        ConnectionLimits l = new ConnectionLimits(2, 3, 4);
        assertNull(l.tryAcquire("acme", "ann", "10.0.0.1"));
        assertNull(l.tryAcquire("acme", "ann", "10.0.0.1"));
        assertEquals("user", l.tryAcquire("acme", "ann", "10.0.0.2"));
        assertEquals(2, l.sessionsOf("acme", "ann"));
        assertEquals(0, l.sessionsOf("globex", "ann"), "users are counted per organisation");

        assertNull(l.tryAcquire("acme", "bob", "10.0.0.1"));
        assertEquals("ip", l.tryAcquire("acme", "cid", "10.0.0.1"));
        assertEquals(0, l.sessionsOf("acme", "cid"), "the refused session's user slot was given back");

        assertNull(l.tryAcquire("acme", "cid", "10.0.0.9"));
        assertEquals("org", l.tryAcquire("acme", "dan", "10.0.0.8"));
        assertEquals(0, l.sessionsOf("acme", "dan"));
        assertNull(l.tryAcquire("globex", "dan", "10.0.0.8"), "the refusal gave back dan's address slot; other organisations are unaffected");
    }

    @Test
    void releasingFreesTheSlotsAndEmptyCountsAreDropped() {
        ConnectionLimits l = new ConnectionLimits(1, 1, 1);
        assertNull(l.tryAcquire("acme", "ann", "10.0.0.1"));
        assertEquals("user", l.tryAcquire("acme", "ann", "10.0.0.2"));
        l.release("acme", "ann", "10.0.0.1");
        assertEquals(0, l.sessionsOf("acme", "ann"));
        assertNull(l.tryAcquire("acme", "ann", "10.0.0.1"), "user, address and organisation slots were all given back");
    }

    @Test
    void zeroMeansNoLimitAndNothingCounted() {
        ConnectionLimits l = new ConnectionLimits(0, 0, 0);
        for (int i = 0; i < 1000; i++) {
            assertNull(l.tryAcquire("acme", "ann", "10.0.0.1"));
        }
        assertEquals(0, l.sessionsOf("acme", "ann"));
        l.release("acme", "ann", "10.0.0.1");
    }
}
