package dev.switchboard.edge.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LeaseTest {
    @Test
    void theFieldIsTheFormatTheMessageServiceReadsAndParsesBack() {
        Lease l = new Lease("acme", "ann", "edge-1", 42);
        assertEquals("edge-1/edge-1-42", l.field());
        assertEquals(l, Lease.ofField("acme", "ann", "edge-1/edge-1-42"));
    }

    @Test
    void whatIsNotAFieldParsesToNull() {
        for (String bad : new String[] {"", "x", "/x-1", "a/a-", "a/a-x", "a/b-1", "a-1", "a/a-1-"}) {
            assertNull(Lease.ofField("acme", "ann", bad), bad);
        }
    }
}
