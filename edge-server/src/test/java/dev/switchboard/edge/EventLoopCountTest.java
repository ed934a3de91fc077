package dev.switchboard.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** How many event loops an edge runs (ADR 0018): half the cores by default, at least one; what the operator says otherwise. */
class EventLoopCountTest {

    @Test
    void theDefaultIsHalfTheCoresAndAtLeastOne() {
        assertEquals(1, EdgeServerOptions.defaultIoThreads(1));
        assertEquals(1, EdgeServerOptions.defaultIoThreads(2));
        assertEquals(1, EdgeServerOptions.defaultIoThreads(3));
        assertEquals(2, EdgeServerOptions.defaultIoThreads(4));
        assertEquals(8, EdgeServerOptions.defaultIoThreads(16));
        assertEquals(1, EdgeServerOptions.defaultIoThreads(0));
    }

    @Test
    void aNodeWithoutACountRunsTheDefaultOfTheCoresItSees() throws Exception {
        try (EdgeFixture f = new EdgeFixture()) {
            EdgeServer edge = f.start(EdgeFixture.options().ioThreads(0).build());
            int expected = EdgeServerOptions.defaultIoThreads(Runtime.getRuntime().availableProcessors());
            assertEquals(expected, edge.hub().loops().size());
            assertEquals(expected, EdgeFixture.options().ioThreads(0).build().effectiveIoThreads());
        }
    }

    @Test
    void anOperatorsCountIsKept() throws Exception {
        try (EdgeFixture f = new EdgeFixture()) {
            EdgeServer edge = f.start(EdgeFixture.options().ioThreads(3).build());
            assertEquals(3, edge.hub().loops().size());
        }
        assertThrows(IllegalArgumentException.class, () -> EdgeFixture.options().ioThreads(-1).build());
    }
}
